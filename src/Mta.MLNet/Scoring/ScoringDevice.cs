using System.Globalization;

namespace Mta.MLNet;

/// <summary>
/// Where ONNX Runtime scores a multi-task model: the CPU or a CUDA GPU. Unset, a model follows the MLContext as
/// ML.NET's ApplyOnnxModel does (<c>mlContext.GpuDeviceId</c>, else the CPU). CUDA needs ONNX Runtime's CUDA build
/// (<c>-p:MtaOnnxRuntimePackage=Microsoft.ML.OnnxRuntime.Gpu</c>, see the README), the CUDA 12 and cuDNN 9 libraries and
/// a GPU; where it cannot start, the error says which is missing, or with <c>mlContext.FallbackToCpu</c> the model
/// scores on the CPU.
/// </summary>
public sealed record ScoringDevice
{
    private ScoringDevice(int? cudaDeviceId) => CudaDeviceId = cudaDeviceId;

    /// <summary>The CPU.</summary>
    public static ScoringDevice Cpu { get; } = new((int?)null);

    /// <summary>The CUDA GPU with this index.</summary>
    public static ScoringDevice Cuda(int deviceId = 0) => deviceId >= 0 ? new(deviceId)
        : throw new ArgumentOutOfRangeException(nameof(deviceId), deviceId, "A CUDA device index is 0 or more.");

    /// <summary>The CUDA device index, or null for the CPU.</summary>
    public int? CudaDeviceId { get; }

    /// <summary>Reads "cpu", "cuda" or "cuda:N".</summary>
    /// <exception cref="FormatException">Any other text (the message quotes it).</exception>
    public static ScoringDevice Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var value = text.Trim().ToLowerInvariant();
        if (value == "cpu")
            return Cpu;
        if (value == "cuda")
            return Cuda();
        if (value.StartsWith("cuda:", StringComparison.Ordinal)
            && int.TryParse(value.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out int id))
            return Cuda(id);
        throw new FormatException($"Device '{text}' is not one of: cpu, cuda, cuda:N.");
    }

    /// <inheritdoc />
    public override string ToString() => CudaDeviceId is int id ? $"cuda:{id}" : "cpu";
}
