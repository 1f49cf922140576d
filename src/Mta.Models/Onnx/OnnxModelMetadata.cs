using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Mta.Models.Reports;
using Mta.Models.Tasks;
using Mta.Models.Training;

namespace Mta.Models.Onnx;

/// <summary>
/// The metadata_props an exported model carries, so a model file alone says what it predicts and how it was
/// trained: tasks (kinds, class labels, loss weights), feature count, options, format version.
/// </summary>
public static class OnnxModelMetadata
{
    /// <summary>Version of this metadata layout; bumped when a reader must change.</summary>
    public const int FormatVersion = 1;

    /// <summary>Key of <see cref="FormatVersion"/>.</summary>
    public const string FormatVersionKey = "mta.format_version";

    /// <summary>Key of the JSON array of tasks.</summary>
    public const string TasksKey = "mta.tasks";

    /// <summary>Key of the number of input features.</summary>
    public const string FeatureCountKey = "mta.feature_count";

    /// <summary>Key of the input tensor's name.</summary>
    public const string InputNameKey = "mta.input_name";

    /// <summary>Key of the width W of each task's attention output.</summary>
    public const string AttentionWidthKey = "mta.attention_width";

    /// <summary>Key of the values per item of a model whose rows are sets of items (absent for fixed-width rows).</summary>
    public const string ItemWidthKey = "mta.item_width";

    /// <summary>Key of a set model's per-row values before the items (absent when 0).</summary>
    public const string RowFeatureCountKey = "mta.row_feature_count";

    /// <summary>Key of the JSON network options.</summary>
    public const string NetworkOptionsKey = "mta.network_options";

    /// <summary>Key of the JSON training options.</summary>
    public const string TrainingOptionsKey = "mta.training_options";

    /// <summary>Key of the JSON array of final loss weights.</summary>
    public const string LossWeightsKey = "mta.loss_weights";

    /// <summary>Key of the JSON <see cref="MultiTaskReport"/> (attention per task and source, loss weights, training curves).</summary>
    public const string ReportKey = "mta.report";

    /// <summary>
    /// Key of the JSON list of task tensors (task, kind, value name) as computed before the output step (one
    /// Identity per output), so that a graph can be given other outputs or shapes later without the weights.
    /// </summary>
    public const string TaskValuesKey = "mta.task_values";

    /// <summary>
    /// Key of the SHA-256 (hex) of the serialized graph (nodes, weights, inputs, outputs): a file damaged inside the
    /// weights still parses as ONNX and would predict garbage silently; <see cref="VerifyGraphHash"/> catches it.
    /// </summary>
    public const string GraphHashKey = "mta.graph_sha256";

    internal static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new JsonStringEnumConverter() },
        // A diverged run has NaN losses in its history; they must still serialize.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = false,
    };

    /// <summary>The entries for a trained model.</summary>
    internal static IEnumerable<KeyValuePair<string, string>> Describe(MultiTaskModel model, string inputName)
    {
        yield return new(FormatVersionKey, FormatVersion.ToString(CultureInfo.InvariantCulture));
        yield return new(TasksKey, SerializeTasks(model.Tasks));
        yield return new(FeatureCountKey, model.FeatureCount.ToString(CultureInfo.InvariantCulture));
        yield return new(InputNameKey, inputName);
        yield return new(AttentionWidthKey, model.AttentionWidth.ToString(CultureInfo.InvariantCulture));
        if (model.ItemWidth is int itemWidth)
        {
            yield return new(ItemWidthKey, itemWidth.ToString(CultureInfo.InvariantCulture));
            if (model.RowFeatureCount > 0)
                yield return new(RowFeatureCountKey, model.RowFeatureCount.ToString(CultureInfo.InvariantCulture));
        }
        yield return new(NetworkOptionsKey, JsonSerializer.Serialize(model.NetworkOptions, Json));
        yield return new(TrainingOptionsKey, JsonSerializer.Serialize(model.TrainingOptions, Json));
        yield return new(LossWeightsKey, JsonSerializer.Serialize(model.LossWeights, Json));
        yield return new(ReportKey, SerializeReport(model.Report));
    }

    /// <summary>
    /// The metadata_props of an ONNX model, or an empty map if <paramref name="model"/> is not a readable ONNX
    /// model (callers use this to tell a model written by Mta.Models from any other bytes).
    /// </summary>
    public static IReadOnlyDictionary<string, string> Read(byte[] model)
    {
        ArgumentNullException.ThrowIfNull(model);
        try
        {
            return Proto.ModelProto.Parser.ParseFrom(model).MetadataProps
                .GroupBy(p => p.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal);
        }
        catch (Google.Protobuf.InvalidProtocolBufferException)
        {
            return new Dictionary<string, string>();
        }
    }

    /// <summary>The model with <see cref="GraphHashKey"/> set (replaced if present) to the hash of its graph.</summary>
    internal static byte[] StampGraphHash(byte[] model)
    {
        var proto = Proto.ModelProto.Parser.ParseFrom(model);
        StampGraphHash(proto);
        return Google.Protobuf.MessageExtensions.ToByteArray(proto);
    }

    internal static void StampGraphHash(Proto.ModelProto proto)
    {
        var existing = proto.MetadataProps.FirstOrDefault(p => p.Key == GraphHashKey);
        if (existing is not null)
            proto.MetadataProps.Remove(existing);
        proto.MetadataProps.Add(new Proto.StringStringEntryProto { Key = GraphHashKey, Value = GraphHash(proto) });
    }

    /// <summary>
    /// Checks the graph against its recorded hash. A model without one (written before the hash existed) passes.
    /// </summary>
    /// <exception cref="InvalidDataException">The bytes are not ONNX, or the graph does not match its hash.</exception>
    public static void VerifyGraphHash(byte[] model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Proto.ModelProto proto;
        try
        {
            proto = Proto.ModelProto.Parser.ParseFrom(model);
        }
        catch (Google.Protobuf.InvalidProtocolBufferException e)
        {
            throw new InvalidDataException("The ONNX model is not readable (damaged bytes).", e);
        }
        var recorded = proto.MetadataProps.FirstOrDefault(p => p.Key == GraphHashKey)?.Value;
        if (recorded is not null && !string.Equals(recorded, GraphHash(proto), StringComparison.Ordinal))
            throw new InvalidDataException("The ONNX model's graph does not match its recorded SHA-256: the file is damaged.");
    }

    private static string GraphHash(Proto.ModelProto proto) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Google.Protobuf.MessageExtensions.ToByteArray(proto.Graph ?? new Proto.GraphProto())));

    /// <summary>The model's IR version, default-domain opset and producer, or null if the bytes are not an ONNX model.</summary>
    public static (long IrVersion, long Opset, string Producer)? ReadHeader(byte[] model)
    {
        ArgumentNullException.ThrowIfNull(model);
        try
        {
            var proto = Proto.ModelProto.Parser.ParseFrom(model);
            long opset = proto.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx")?.Version ?? 0;
            return (proto.IrVersion, opset, $"{proto.ProducerName} {proto.ProducerVersion}".Trim());
        }
        catch (Google.Protobuf.InvalidProtocolBufferException)
        {
            return null;
        }
    }

    /// <summary>A report as JSON.</summary>
    public static string SerializeReport(MultiTaskReport report) => JsonSerializer.Serialize(report, Json);

    /// <summary>Reads a report written by <see cref="SerializeReport"/>.</summary>
    public static MultiTaskReport DeserializeReport(string json) =>
        JsonSerializer.Deserialize<MultiTaskReport>(json, Json) ?? throw new FormatException("The model's report is empty.");

    /// <summary>Tasks as JSON (name, kind, class count, loss weight, class labels).</summary>
    public static string SerializeTasks(IEnumerable<TaskSpec> tasks) =>
        JsonSerializer.Serialize(tasks.Select(t => new TaskRecord(t.Name, t.Kind, t.ClassCount, t.LossWeight, t.ClassLabels)).ToArray(), Json);

    /// <summary>Reads tasks written by <see cref="SerializeTasks"/>.</summary>
    public static IReadOnlyList<TaskSpec> DeserializeTasks(string json)
    {
        var records = JsonSerializer.Deserialize<TaskRecord[]>(json, Json)
            ?? throw new FormatException("The model's task list is empty.");
        return records.Select(r => new TaskSpec(r.Name, r.Kind, r.ClassCount, r.LossWeight, r.ClassLabels)).ToArray();
    }

    internal static string SerializeTaskValues(IEnumerable<OnnxTaskValue> values) => JsonSerializer.Serialize(values.ToArray(), Json);

    internal static IReadOnlyList<OnnxTaskValue> DeserializeTaskValues(string json) =>
        JsonSerializer.Deserialize<OnnxTaskValue[]>(json, Json) ?? throw new FormatException("The model's task value list is empty.");

    private sealed record TaskRecord(string Name, TaskKind Kind, int ClassCount, float LossWeight, IReadOnlyList<string>? ClassLabels);
}

/// <summary>Where one task tensor lives in an exported graph, before its output step.</summary>
internal sealed record OnnxTaskValue(string Task, OnnxOutputKind Kind, string Value);
