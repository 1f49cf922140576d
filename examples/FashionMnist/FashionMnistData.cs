using System.Buffers.Binary;
using System.IO.Compression;
using Microsoft.ML.Data;

namespace FashionMnist;

/// <summary>One Fashion-MNIST image as ML.NET's ExtractPixels would give it (784 Singles, row by row), with both labels.</summary>
internal sealed class Garment
{
    [VectorType(28 * 28)] public float[] Pixels { get; set; } = [];
    public string Item { get; set; } = "";
    public string Group { get; set; } = "";
}

/// <summary>Reads the IDX files of the Debian package dataset-fashion-mnist.</summary>
internal static class FashionMnistData
{
    public static readonly string[] Items = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    public static readonly string[] Groups = ["tops", "bottoms", "footwear", "bags"];

    // Tops: T-shirt/top, Pullover, Dress, Coat, Shirt; bottoms: Trouser; footwear: Sandal, Sneaker, Ankle boot; bags: Bag.
    private static readonly int[] s_groupOfItem = [0, 1, 0, 0, 0, 2, 0, 2, 3, 2];

    public static Garment[] Load(string folder, string prefix, int maxRows)
    {
        string images = Path.Combine(folder, $"{prefix}-images-idx3-ubyte.gz"), labels = Path.Combine(folder, $"{prefix}-labels-idx1-ubyte.gz");
        foreach (var file in new[] { images, labels })
        {
            if (!File.Exists(file))
                throw new FileNotFoundException($"'{file}' not found. Install the data with: sudo apt-get install dataset-fashion-mnist (or pass --data <folder>).", file);
        }
        var pixels = ReadIdx(images, expectedMagic: 2051, out var dims);
        var classes = ReadIdx(labels, expectedMagic: 2049, out _);
        int rows = Math.Min(maxRows, dims[0]), size = dims[1] * dims[2];
        var result = new Garment[rows];
        for (int i = 0; i < rows; i++)
        {
            var x = new float[size];
            for (int p = 0; p < size; p++)
                x[p] = pixels[(long)i * size + p] / 255f;
            int item = classes[i];
            result[i] = new Garment { Pixels = x, Item = Items[item], Group = Groups[s_groupOfItem[item]] };
        }
        return result;
    }

    /// <summary>IDX: a big-endian magic (2049 labels, 2051 images), the dims, then unsigned bytes.</summary>
    private static byte[] ReadIdx(string path, int expectedMagic, out int[] dims)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        var bytes = memory.GetBuffer().AsSpan(0, (int)memory.Length);
        int magic = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if (magic != expectedMagic)
            throw new InvalidDataException($"'{path}' is not an IDX file of the expected kind (magic {magic}, expected {expectedMagic}).");
        int rank = magic & 0xFF;
        dims = new int[rank];
        for (int d = 0; d < rank; d++)
            dims[d] = BinaryPrimitives.ReadInt32BigEndian(bytes[(4 + 4 * d)..]);
        return bytes[(4 + 4 * rank)..].ToArray();
    }
}
