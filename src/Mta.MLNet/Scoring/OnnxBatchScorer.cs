using Microsoft.ML.OnnxRuntime;

namespace Mta.MLNet.Scoring;

/// <summary>Runs the batched ONNX graph on many rows per call. Thread-safe (ONNX Runtime sessions are).</summary>
internal sealed class OnnxBatchScorer : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string[] _inputNames;
    private readonly RunOptions _runOptions = new();
    private volatile bool _disposed;

    /// <param name="model">The batched ONNX graph.</param>
    /// <param name="inputName">Its input, the feature column.</param>
    /// <param name="device">Where to score.</param>
    /// <param name="fallbackToCpu">Score on the CPU when CUDA cannot start (mlContext.FallbackToCpu), instead of failing.</param>
    /// <exception cref="NotSupportedException">CUDA was asked for, cannot start, and there is no fallback; the message says what is missing.</exception>
    public OnnxBatchScorer(byte[] model, string inputName, ScoringDevice device, bool fallbackToCpu)
    {
        var options = NewOptions();
        Device = ScoringDevice.Cpu;
        if (device.CudaDeviceId is int id)
        {
            if (CudaProvider.TryAppend(options, id) is string reason)
            {
                if (!fallbackToCpu)
                {
                    options.Dispose();
                    throw CudaProvider.Unavailable(id, reason);
                }
                // Options that failed to take a provider are not reused.
                options.Dispose();
                options = NewOptions();
                FallbackReason = reason;
            }
            else
            {
                Device = device;
            }
        }
        using (options)
            _session = new InferenceSession(model, options);
        _inputNames = [inputName];
    }

    /// <summary>Where this scorer runs: the device asked for, or the CPU after a fallback.</summary>
    public ScoringDevice Device { get; }

    /// <summary>Why CUDA was not used after a fallback to the CPU, else null.</summary>
    public string? FallbackReason { get; }

    private static SessionOptions NewOptions() => new() { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };

    /// <summary>Runs <paramref name="rows"/> rows of <paramref name="width"/> row-major features; the caller disposes the outputs.</summary>
    public IDisposableReadOnlyCollection<OrtValue> Run(float[] features, int rows, int width, IReadOnlyList<string> outputNames)
    {
        // ONNX Runtime reports a disposed session as a generic OnnxRuntimeException; say what happened instead.
        ObjectDisposedException.ThrowIf(_disposed, typeof(MultiTaskTransformer));
        using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance,
            features.AsMemory(0, rows * width), [rows, width]);
        return _session.Run(_runOptions, _inputNames, [input], outputNames);
    }

    public void Dispose()
    {
        _disposed = true;
        _session.Dispose();
        _runOptions.Dispose();
    }
}
