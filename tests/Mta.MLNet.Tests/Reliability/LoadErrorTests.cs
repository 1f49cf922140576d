using System.IO.Compression;
using Microsoft.ML;
using Mta.Fuzzing;
using Mta.Models.Onnx;

namespace Mta.MLNet.Tests.Reliability;

/// <summary>
/// Damaged model files: a managed exception that names the file (MultiTask().Load) — never a native crash, a hang or
/// a model that loads and predicts garbage silently.
/// </summary>
[TestClass]
public sealed class LoadErrorTests
{
    [TestMethod]
    public void ATruncatedZipIsAnInvalidDataExceptionNamingTheFile()
    {
        string path = Write(SavedModels.Zip[..(SavedModels.Zip.Length / 2)]);
        var e = Assert.ThrowsExactly<InvalidDataException>(() => new MLContext().MultiTask().Load(path, out _));
        StringAssert.Contains(e.Message, path);
    }

    [TestMethod]
    public void AZipWithoutTheModelIsAnInvalidDataException()
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = new StreamWriter(zip.CreateEntry("readme.txt").Open());
            entry.Write("no model here");
        }
        string path = Write(stream.ToArray());
        var e = Assert.ThrowsExactly<InvalidDataException>(() => new MLContext().MultiTask().Load(path, out _));
        StringAssert.Contains(e.Message, path);
    }

    [TestMethod]
    public void CorruptedOnnxBytesAreAnInvalidDataException()
    {
        var damaged = RewriteOnnx(SavedModels.Zip, onnx =>
        {
            for (int i = onnx.Length / 3; i < onnx.Length / 3 + 64; i++)
                onnx[i] ^= 0x5A;
            return onnx;
        });
        string path = Write(damaged);
        var e = Assert.ThrowsExactly<InvalidDataException>(() => new MLContext().MultiTask().Load(path, out _));
        StringAssert.Contains(e.Message, path);
    }

    [TestMethod]
    public void TamperedMetadataIsAnInvalidDataException()
    {
        var damaged = RewriteOnnx(SavedModels.Zip, onnx => ReplaceMetadata(onnx, OnnxModelMetadata.TasksKey, "{ not json"));
        var e = Assert.ThrowsExactly<InvalidDataException>(() => new MLContext().MultiTask().Load(Write(damaged), out _));
        StringAssert.Contains(e.Message, "could not be loaded");
    }

    [TestMethod]
    public void AModelFromAFutureFormatVersionSaysSo()
    {
        var future = RewriteOnnx(SavedModels.Zip, onnx => ReplaceMetadata(onnx, OnnxModelMetadata.FormatVersionKey, "99"));
        var e = Assert.ThrowsExactly<InvalidDataException>(() => new MLContext().MultiTask().Load(Write(future), out _));
        StringAssert.Contains(e.Message, "format version 99");
    }

    /// <summary>
    /// A deterministic sample of the loader fuzz (the full run is `dotnet run --project tests/Mta.PerfBenchmark -c Release -- --section fuzz`):
    /// every mutated file either loads and scores, or fails with a managed exception, within a time limit.
    /// </summary>
    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public void MutatedFilesLoadOrFailCleanly()
    {
        var outcomes = LoaderFuzz.Run(SavedModels.Zip, count: 30, seed: 7, SavedModels.Rows);
        Assert.AreEqual(30, outcomes.Values.Sum());
        Assert.IsFalse(outcomes.ContainsKey(LoaderFuzz.Hang), string.Join(", ", outcomes));
        Assert.IsFalse(outcomes.ContainsKey(LoaderFuzz.Different), $"a damaged file predicted differently without an error: {string.Join(", ", outcomes)}");
        Assert.IsGreaterThan(0, outcomes.Where(o => o.Key != LoaderFuzz.Scored).Sum(o => o.Value), "mutations are detected");
    }

    private static string Write(byte[] bytes)
    {
        string path = Path.Combine(Path.GetTempPath(), $"mta-load-{Guid.NewGuid():N}.zip");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>The zip with its ONNX model entry (4-byte length + bytes, as ML.NET stores it) changed.</summary>
    internal static byte[] RewriteOnnx(byte[] zipBytes, Func<byte[], byte[]> change)
    {
        using var input = new ZipArchive(new MemoryStream(zipBytes), ZipArchiveMode.Read);
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in input.Entries)
            {
                using var source = entry.Open();
                using var buffer = new MemoryStream();
                source.CopyTo(buffer);
                var bytes = buffer.ToArray();
                if (entry.Name == "OnnxModel")
                {
                    var onnx = change(bytes[4..]);
                    bytes = [.. BitConverter.GetBytes(onnx.Length), .. onnx];
                }
                using var target = zip.CreateEntry(entry.FullName).Open();
                target.Write(bytes);
            }
        }
        return output.ToArray();
    }

    private static byte[] ReplaceMetadata(byte[] onnx, string key, string value)
    {
        var model = Mta.Models.Onnx.Proto.ModelProto.Parser.ParseFrom(onnx);
        model.MetadataProps.Single(p => p.Key == key).Value = value;
        return Google.Protobuf.MessageExtensions.ToByteArray(model);
    }
}
