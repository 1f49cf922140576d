using System.Globalization;
using Google.Protobuf;
using Mta.Models.Onnx.Proto;

namespace Mta.Models.Onnx;

/// <summary>
/// Gives an exported multi-task model a different set of outputs with a dynamic batch axis, without the TorchSharp
/// weights: the network (initializers and nodes) is kept as written, only the layout step at the end changes.
/// </summary>
/// <remarks>
/// Why: a model saved with <c>mlContext.Model.Save</c> holds only the single-row graph (one row per call, what
/// ML.NET's OnnxTransformer can feed). Re-laying it out gives back the batched graph, so a loaded model scores many
/// rows per ONNX Runtime call like a freshly fitted one. The exporter records where each task tensor lives
/// (metadata <see cref="OnnxModelMetadata.TaskValuesKey"/>) for this purpose.
/// </remarks>
public static class OnnxRelayout
{
    /// <summary>
    /// The model with float input [N, d] (for sets of items, [N, any multiple of the item width]) and exactly <paramref name="outputs"/>, each [N, …] (slot names are not carried
    /// over). Nodes and initializers that no longer feed an output are dropped.
    /// </summary>
    /// <exception cref="FormatException">The bytes are not an ONNX model exported by Mta.Models (with task value metadata).</exception>
    public static byte[] ToBatched(byte[] model, IReadOnlyList<OnnxOutput> outputs)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(outputs);
        ModelProto proto;
        try
        {
            proto = ModelProto.Parser.ParseFrom(model);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new FormatException("The bytes are not a readable ONNX model.", e);
        }
        var metadata = OnnxModelMetadata.Read(model);
        string Required(string key) => metadata.TryGetValue(key, out var value) ? value
            : throw new FormatException($"The ONNX model has no '{key}' metadata: it was not exported by this version of Mta.Models.");
        var tasks = OnnxModelMetadata.DeserializeTasks(Required(OnnxModelMetadata.TasksKey));
        int attentionWidth = int.Parse(Required(OnnxModelMetadata.AttentionWidthKey), NumberStyles.Integer, CultureInfo.InvariantCulture);
        // Rows that are sets of items: the batched form takes rows of any number of items, whatever the single-row form declared.
        bool sets = metadata.ContainsKey(OnnxModelMetadata.ItemWidthKey);
        long attentionDim = sets ? OnnxGraphBuilder.ItemsDim : attentionWidth;
        var values = OnnxModelMetadata.DeserializeTaskValues(Required(OnnxModelMetadata.TaskValuesKey))
            .ToDictionary(v => (v.Task, v.Kind), v => v.Value);
        MultiTaskOnnxExporter.CheckOutputs(tasks, outputs);

        var graph = proto.Graph ?? throw new FormatException("The ONNX model has no graph.");
        if (graph.Input.Count != 1 || graph.Input[0].Type?.TensorType?.Shape is not { Dim.Count: 2 } inputShape)
            throw new FormatException("The ONNX model does not have the single [rows, features] input Mta.Models writes.");
        inputShape.Dim[0] = new TensorShapeProto.Types.Dimension { DimParam = OnnxGraphBuilder.BatchDimension };
        // A key-valued input (uint32, cast to float by the first node) takes float rows here, so that padding can be NaN.
        graph.Input[0].Type.TensorType.ElemType = (int)OnnxElementType.Float;
        if (sets)
            inputShape.Dim[1] = new TensorShapeProto.Types.Dimension { DimParam = OnnxGraphBuilder.ValuesDimension };

        // The old layout step: nodes that only produce the old graph outputs.
        var oldOutputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        graph.Output.Clear();
        var kept = graph.Node.Where(n => !n.Output.All(oldOutputs.Contains)).ToList();

        var taken = new HashSet<string>(kept.SelectMany(n => n.Output), StringComparer.Ordinal);
        taken.UnionWith(graph.Initializer.Select(t => t.Name));
        taken.Add(graph.Input[0].Name);
        var nodeNames = new HashSet<string>(kept.Select(n => n.Name), StringComparer.Ordinal);
        foreach (var output in outputs)
        {
            var task = tasks.First(t => t.Name == output.Task);
            if (!values.TryGetValue((output.Task, output.Kind), out var value))
                throw new FormatException($"The ONNX model has no {output.Kind} tensor for task '{output.Task}'.");
            if (!taken.Add(output.Name))
                throw new ArgumentException($"ONNX output name '{output.Name}' is already a value of the graph.", nameof(outputs));
            var node = new NodeProto { OpType = "Identity", Name = FreeName(nodeNames, "relayout_" + output.Name) };
            node.Input.Add(value);
            node.Output.Add(output.Name);
            kept.Add(node);
            var (type, perRowDims) = MultiTaskOnnxExporter.Describe(task, output.Kind, attentionDim);
            graph.Output.Add(OnnxGraphBuilder.ValueInfo(output.Name, type, [-1, .. perRowDims]));
        }

        Prune(graph, kept);
        OnnxModelMetadata.StampGraphHash(proto);
        return proto.ToByteArray();
    }

    /// <summary>Keeps the nodes (in order) and initializers that some graph output depends on.</summary>
    private static void Prune(GraphProto graph, List<NodeProto> nodes)
    {
        var needed = new HashSet<string>(graph.Output.Select(o => o.Name), StringComparer.Ordinal);
        var live = new List<NodeProto>();
        for (int i = nodes.Count - 1; i >= 0; i--)
        {
            if (!nodes[i].Output.Any(needed.Contains))
                continue;
            live.Add(nodes[i]);
            needed.UnionWith(nodes[i].Input.Where(n => n.Length > 0));
        }
        live.Reverse();
        graph.Node.Clear();
        graph.Node.AddRange(live);
        var initializers = graph.Initializer.Where(t => needed.Contains(t.Name)).ToList();
        graph.Initializer.Clear();
        graph.Initializer.AddRange(initializers);
    }

    private static string FreeName(HashSet<string> taken, string hint)
    {
        string name = hint;
        for (int k = 1; !taken.Add(name); k++)
            name = $"{hint}_{k}";
        return name;
    }
}
