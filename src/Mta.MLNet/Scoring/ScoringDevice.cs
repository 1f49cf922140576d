using System.Globalization;

namespace Mta.MLNet;

/// <summary>
/// Where ONNX Runtime scores a multi-task model: the CPU (default) or a CUDA GPU. CUDA needs ONNX Runtime's CUDA
/// build: build with <c>-p:MtaOnnxRuntimePackage=Microsoft.ML.OnnxRuntime.Gpu</c> (see the README); with the CPU
/// build, creating the scorer fails with an error that says so.
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
