using Microsoft.ML.OnnxRuntime;

namespace Mta.MLNet.Scoring;

/// <summary>Runs the batched ONNX graph on many rows per call. Thread-safe (ONNX Runtime sessions are).</summary>
internal sealed class OnnxBatchScorer : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string[] _inputNames;
    private readonly RunOptions _runOptions = new();
    private volatile bool _disposed;

    public OnnxBatchScorer(byte[] model, string inputName, ScoringDevice device)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (device.CudaDeviceId is int id)
            UseCuda(options, id);
        _session = new InferenceSession(model, options);
        _inputNames = [inputName];
    }

    /// <summary>Runs <paramref name="rows"/> rows of <paramref name="width"/> row-major features; the caller disposes the outputs.</summary>
    public IDisposableReadOnlyCollection<OrtValue> Run(float[] features, int rows, int width, IReadOnlyList<string> outputNames)
    {
        // ONNX Runtime reports a disposed session as a generic OnnxRuntimeException; say what happened instead.
        ObjectDisposedException.ThrowIf(_disposed, typeof(MultiTaskTransformer));
        using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance,
            features.AsMemory(0, rows * width), [rows, width]);
        return _session.Run(_runOptions, _inputNames, [input], outputNames);
    }

    private static void UseCuda(SessionOptions options, int deviceId)
    {
        try
        {
            options.AppendExecutionProvider_CUDA(deviceId);
        }
        catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
        {
            // The CPU build of ONNX Runtime has no CUDA provider; say which package has it.
            throw new NotSupportedException(
                $"Scoring on cuda:{deviceId} needs ONNX Runtime's CUDA build and a CUDA GPU. Build with " +
                "-p:MtaOnnxRuntimePackage=Microsoft.ML.OnnxRuntime.Gpu (the package must be on your NuGet feed), or score on the CPU. " +
                $"ONNX Runtime said: {e.Message}", e);
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _session.Dispose();
        _runOptions.Dispose();
    }
}
