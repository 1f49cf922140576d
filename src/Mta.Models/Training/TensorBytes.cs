using static TorchSharp.torch;

namespace Mta.Models.Training;

/// <summary>Fixed-size float state in checkpoints (optimizer moments, the weight average): raw bytes, size checked.</summary>
internal static class TensorBytes
{
    /// <summary>Reads exactly <paramref name="target"/>'s float bytes into it; <paramref name="what"/> names it in the error.</summary>
    /// <exception cref="InvalidDataException">The stream ends before the tensor is filled.</exception>
    public static void ReadInto(BinaryReader reader, Tensor target, string what)
    {
        int length = checked((int)target.numel() * sizeof(float));
        var bytes = reader.ReadBytes(length);
        if (bytes.Length != length)
            throw new InvalidDataException($"{what} is truncated.");
        target.bytes = bytes;
    }
}
