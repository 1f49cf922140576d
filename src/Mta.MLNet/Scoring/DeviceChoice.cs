using Microsoft.ML;

namespace Mta.MLNet.Scoring;

/// <summary>
/// Which device a multi-task model scores on, as ML.NET's ApplyOnnxModel decides it: the device asked for, else
/// <c>mlContext.GpuDeviceId</c> (CUDA), else the CPU; when CUDA cannot start, <c>mlContext.FallbackToCpu</c> chooses
/// between the CPU and an error.
/// </summary>
internal static class DeviceChoice
{
    public static ScoringDevice Resolve(MLContext mlContext, ScoringDevice? requested) =>
        requested ?? (mlContext.GpuDeviceId is int id ? ScoringDevice.Cuda(id) : ScoringDevice.Cpu);

    /// <summary>Fails now, before any training, when the device is a CUDA GPU that cannot start and there is no fallback.</summary>
    /// <exception cref="NotSupportedException">The message says what is missing.</exception>
    public static void CheckBeforeTraining(MLContext mlContext, ScoringDevice device)
    {
        if (device.CudaDeviceId is not int id || mlContext.FallbackToCpu)
            return;
        if (CudaProvider.WhyNot(id) is string reason)
            throw CudaProvider.Unavailable(id, reason);
    }

    /// <summary>
    /// The context in which ML.NET's own steps (ApplyOnnxModel) are built or loaded: <paramref name="mlContext"/>, or,
    /// where its <c>GpuDeviceId</c> names a CUDA device that cannot start, a CPU context with the same seed.
    /// </summary>
    /// <remarks>
    /// Why: ML.NET's ApplyOnnxModel reads the context's GpuDeviceId and, with the CPU build of ONNX Runtime, fails with
    /// an EntryPointNotFoundException that its FallbackToCpu does not catch (it catches OnnxRuntimeException only).
    /// Whether CUDA may be skipped at all was decided before (<see cref="CheckBeforeTraining"/>, the batched scorer).
    /// </remarks>
    public static MLContext ForMlNetSteps(MLContext mlContext) =>
        mlContext.GpuDeviceId is int id && CudaProvider.WhyNot(id) is not null
            ? new MLContext(Hosting.ContextSeed.Of(mlContext))
            : mlContext;
}
