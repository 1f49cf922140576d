using Microsoft.ML.OnnxRuntime;

namespace Mta.MLNet.Scoring;

/// <summary>Runs the batched ONNX graph on many rows per call. Thread-safe (ONNX Runtime sessions are).</summary>
internal sealed class OnnxBatchScorer : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string[] _inputNames;
    private readonly RunOptions _runOptions = new();

    public OnnxBatchScorer(byte[] model, string inputName, int featureCount)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        _session = new InferenceSession(model, options);
        _inputNames = [inputName];
        FeatureCount = featureCount;
    }

    public int FeatureCount { get; }

    /// <summary>Runs <paramref name="rows"/> rows of row-major features; the caller disposes the outputs.</summary>
    public IDisposableReadOnlyCollection<OrtValue> Run(float[] features, int rows, IReadOnlyList<string> outputNames)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance,
            features.AsMemory(0, rows * FeatureCount), [rows, FeatureCount]);
        return _session.Run(_runOptions, _inputNames, [input], outputNames);
    }

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }
}
