using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;
using Mta.MLNet.Data;
using Microsoft.ML.Transforms.Onnx;
using Mta.MLNet.Scoring;
using Mta.Models.Data;
using Mta.Models.Onnx;

namespace Mta.MLNet.Persistence;

/// <summary>
/// Loads a model file written by <c>mlContext.Model.Save</c> and puts back a batched <see cref="MultiTaskTransformer"/>
/// in place of each saved multi-task chain (ApplyOnnxModel over our single-row graph + its column steps).
/// </summary>
/// <remarks>
/// ML.NET loads the file as usual; the single-row ONNX bytes are then read from the same zip (ML.NET stores an
/// OnnxTransformer's model in its folder's <c>OnnxModel</c> entry as a 4-byte length and the bytes) and re-laid out
/// as the batched graph (<see cref="BatchedGraph"/>, as after Fit). Only chains whose ONNX model carries Mta.Models' metadata
/// are replaced; everything else in the file is returned as ML.NET loaded it. The loaded ML.NET chain stays inside
/// the transformer, so saving it again writes the same steps, and PredictionEngine uses it.
/// </remarks>
internal static class SavedModelLoader
{
    // ML.NET's folder of the saved root transformer and the names of a chain's step folders.
    private const string RootFolder = "TransformerChain";
    private const string OnnxEntryName = "OnnxModel";

    /// <summary>
    /// How long ML.NET may take to read a model file. A sound file takes seconds; ML.NET's binary reader can loop forever
    /// on some deliberately altered files (a re-zipped, tampered schema entry: see tests/Mta.PerfBenchmark/LoaderFuzz.cs).
    /// </summary>
    internal static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(30);

    public static ITransformer Load(MLContext mlContext, byte[] file, out DataViewSchema inputSchema, int scoringBatchSize, ScoringDevice device)
    {
        var loaded = ReadWithMlNet(DeviceChoice.ForMlNetSteps(mlContext), file, out inputSchema);
        var ours = FindMultiTaskOnnxModels(file);
        return ours.Count == 0 ? loaded : Replace(loaded, RootFolder, ours, scoringBatchSize, device, mlContext.FallbackToCpu);
    }

    /// <summary>
    /// <c>mlContext.Model.Load</c> on a background thread with a deadline, so that a file ML.NET's reader would loop on
    /// gives an error instead of a hang. (The reading thread cannot be stopped; it is abandoned and ends with the process.)
    /// </summary>
    private static ITransformer ReadWithMlNet(MLContext mlContext, byte[] file, out DataViewSchema inputSchema)
    {
        ITransformer? model = null;
        DataViewSchema? schema = null;
        System.Runtime.ExceptionServices.ExceptionDispatchInfo? error = null;
        var reader = new Thread(() =>
        {
            try
            {
                model = TempModelFileRetry.Run(() => mlContext.Model.Load(new MemoryStream(file, writable: false), out schema));
            }
            catch (Exception e)
            {
                error = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
            }
        })
        { IsBackground = true, Name = "Mta.MLNet model reader" };
        reader.Start();
        if (!reader.Join(ReadTimeout))
            throw new InvalidDataException($"ML.NET did not finish reading the model within {ReadTimeout.TotalSeconds:F0} s: the file is damaged " +
                "(ML.NET's binary reader loops on some altered files).");
        error?.Throw();
        inputSchema = schema!;
        return model!;
    }

    private static ITransformer Replace(ITransformer transformer, string folder, Dictionary<string, byte[]> ours, int scoringBatchSize, ScoringDevice device, bool fallbackToCpu)
    {
        if (transformer is not TransformerChain<ITransformer> chain)
            return transformer;
        var steps = chain.ToArray();
        if (steps.Length > 0 && steps[0] is OnnxTransformer && ours.TryGetValue(StepFolder(folder, 0), out var singleRow))
            return FromSavedChain(chain, singleRow, scoringBatchSize, device, fallbackToCpu);

        bool changed = false;
        for (int i = 0; i < steps.Length; i++)
        {
            var replaced = Replace(steps[i], StepFolder(folder, i), ours, scoringBatchSize, device, fallbackToCpu);
            changed |= !ReferenceEquals(replaced, steps[i]);
            steps[i] = replaced;
        }
        return changed ? new TransformerChain<ITransformer>(steps) : chain;
    }

    private static MultiTaskTransformer FromSavedChain(ITransformer savedChain, byte[] singleRow, int scoringBatchSize, ScoringDevice device, bool fallbackToCpu)
    {
        OnnxModelMetadata.VerifyGraphHash(singleRow);
        var metadata = OnnxModelMetadata.Read(singleRow);
        string Required(string key) => metadata.TryGetValue(key, out var value) ? value
            : throw new InvalidDataException($"The saved multi-task model has no '{key}' metadata; it was written by an incompatible version.");
        if (Required(OnnxModelMetadata.FormatVersionKey) != OnnxModelMetadata.FormatVersion.ToString(CultureInfo.InvariantCulture))
            throw new InvalidDataException($"The saved multi-task model has format version {metadata[OnnxModelMetadata.FormatVersionKey]}; " +
                $"this version of Mta.MLNet reads version {OnnxModelMetadata.FormatVersion}.");
        var tasks = OnnxModelMetadata.DeserializeTasks(Required(OnnxModelMetadata.TasksKey));
        string featureColumn = Required(OnnxModelMetadata.InputNameKey);
        int featureCount = ReadInt(Required(OnnxModelMetadata.FeatureCountKey));
        // A set model saved from a variable-length column has no fixed row width.
        var items = metadata.TryGetValue(OnnxModelMetadata.ItemWidthKey, out var item)
            ? new ItemLayout(metadata.TryGetValue(OnnxModelMetadata.RowFeatureCountKey, out var rowFeatures) ? ReadInt(rowFeatures) : 0, ReadInt(item))
            : null;
        var layout = new FeatureLayout(featureColumn, featureCount, items, items is not null && !metadata.ContainsKey(SingleRowGraph.RowWidthKey));
        var report = OnnxModelMetadata.DeserializeReport(Required(OnnxModelMetadata.ReportKey));
        var batched = OnnxLayouts.Batched(singleRow, tasks);
        return new MultiTaskTransformer(savedChain, layout, tasks, batched, singleRow, report, scoringBatchSize, device, fallbackToCpu);
    }

    private static int ReadInt(string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int parsed) && parsed > 0 ? parsed
            : throw new InvalidDataException($"The saved multi-task model's metadata has '{value}' where a positive whole number belongs.");

    /// <summary>Folder → ONNX bytes of every OnnxTransformer in the file whose model Mta.Models wrote.</summary>
    private static Dictionary<string, byte[]> FindMultiTaskOnnxModels(byte[] file)
    {
        var found = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using var zip = new ZipArchive(new MemoryStream(file, writable: false), ZipArchiveMode.Read);
        foreach (var entry in zip.Entries)
        {
            if (entry.Name != OnnxEntryName || entry.Length < sizeof(int))
                continue;
            using var stream = entry.Open();
            var bytes = new byte[entry.Length];
            stream.ReadExactly(bytes);
            int length = BinaryPrimitives.ReadInt32LittleEndian(bytes);
            if (length != bytes.Length - sizeof(int))
                continue;
            var onnx = bytes[sizeof(int)..];
            if (OnnxModelMetadata.Read(onnx).ContainsKey(OnnxModelMetadata.TaskValuesKey))
                found[entry.FullName[..^(OnnxEntryName.Length + 1)]] = onnx;
        }
        return found;
    }

    private static string StepFolder(string chainFolder, int index) => $"{chainFolder}/Transform_{index.ToString("000", CultureInfo.InvariantCulture)}";
}
