using Microsoft.ML.OnnxRuntime;

namespace Mta.MLNet.Scoring;

/// <summary>Adds ONNX Runtime's CUDA execution provider to session options, with an error that says what is missing.</summary>
internal static class CudaProvider
{
    private const string ProviderName = "CUDAExecutionProvider";

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, string?> s_probes = new();

    /// <summary>Null when CUDA device <paramref name="deviceId"/> can start in this process, else why not (asked once per device).</summary>
    public static string? WhyNot(int deviceId) => s_probes.GetOrAdd(deviceId, id =>
    {
        using var probe = new SessionOptions();
        return TryAppend(probe, id);
    });

    /// <summary>Adds CUDA device <paramref name="deviceId"/>; null on success, else why it cannot start.</summary>
    public static string? TryAppend(SessionOptions options, int deviceId)
    {
        if (!OrtEnv.Instance().GetAvailableProviders().Contains(ProviderName, StringComparer.Ordinal))
            return $"this app's ONNX Runtime is the CPU build, which has no CUDA provider. Build with " +
                "-p:MtaOnnxRuntimePackage=Microsoft.ML.OnnxRuntime.Gpu (Mta.MLNet from source), or add the package " +
                "Microsoft.ML.OnnxRuntime.Gpu at Mta.MLNet's ONNX Runtime version to the app, or score on the CPU";
        try
        {
            options.AppendExecutionProvider_CUDA(deviceId);
            return null;
        }
        catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
        {
            // The GPU build loads its CUDA provider library here, which needs the CUDA and cuDNN libraries and a device.
            return $"ONNX Runtime's CUDA provider could not start on device {deviceId}: it needs an NVIDIA driver, a GPU " +
                $"with index {deviceId}, and the CUDA 12 and cuDNN 9 libraries on the library path (LD_LIBRARY_PATH or PATH). " +
                $"ONNX Runtime said: {e.Message}";
        }
    }

    /// <summary>The exception for a CUDA device that cannot be used and no fallback.</summary>
    public static NotSupportedException Unavailable(int deviceId, string reason) =>
        new($"Scoring on cuda:{deviceId} is not possible: {reason}. To score on the CPU instead when CUDA cannot start, " +
            "set mlContext.FallbackToCpu = true.");
}
