using Microsoft.ML.OnnxRuntime;

namespace Mta.PerfBenchmark;

/// <summary>
/// ONNX Runtime alone, the upper bound for scoring: one session created up front (outside the timing), input and
/// output buffers allocated once, one Run per batch writing into them.
/// </summary>
internal sealed class RawOrtLoop : IDisposable
{
    private const int FeatureCount = 100;
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _outputNames;
    private readonly int[][] _outputRowDims;
    private readonly float[] _features;
    private readonly float[][] _outputBuffers;
    private readonly int _batch;

    public RawOrtLoop(byte[] model, int batch)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        _session = new InferenceSession(model, options);
        _batch = batch;
        _outputNames = [.. _session.OutputMetadata.Keys];
        _outputRowDims = _outputNames.Select(n => _session.OutputMetadata[n].Dimensions.Skip(1).ToArray()).ToArray();
        _features = new float[batch * FeatureCount];
        _outputBuffers = _outputRowDims.Select(d => new float[batch * d.Aggregate(1, (a, x) => a * x)]).ToArray();
    }

    public int Score(ScoringBenchmark.Row[] rows)
    {
        int done = 0;
        for (int start = 0; start < rows.Length; start += _batch)
        {
            int size = Math.Min(_batch, rows.Length - start);
            for (int r = 0; r < size; r++)
                rows[start + r].Features.CopyTo(_features, r * FeatureCount);
            using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _features.AsMemory(0, size * FeatureCount), [size, FeatureCount]);
            var outputs = new OrtValue[_outputNames.Length];
            for (int i = 0; i < outputs.Length; i++)
            {
                long[] shape = [size, .. _outputRowDims[i].Select(d => (long)d)];
                int count = size * _outputRowDims[i].Aggregate(1, (a, x) => a * x);
                outputs[i] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _outputBuffers[i].AsMemory(0, count), shape);
            }
            _session.Run(_runOptions, ["Features"], [input], _outputNames, outputs);
            foreach (var o in outputs)
                o.Dispose();
            done += size;
        }
        return done;
    }

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }
}
