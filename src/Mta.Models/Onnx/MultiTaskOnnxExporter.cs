using Mta.Models.Data;
using Mta.Models.Modules;
using Mta.Models.Options;
using Mta.Models.Tasks;
using Mta.Models.Training;
using static TorchSharp.torch;

namespace Mta.Models.Onnx;

/// <summary>
/// Writes a trained <see cref="MultiTaskModel"/> as an ONNX graph: the network's own ONNX form
/// (<see cref="MultiTaskNetwork.ExportOnnx"/>), each task's readout (<see cref="TaskReadout"/>), the requested outputs
/// and the model's metadata.
/// </summary>
internal static class MultiTaskOnnxExporter
{
    private const string MlDomain = "ai.onnx.ml";

    public static byte[] Export(MultiTaskModel model, OnnxExportOptions options)
    {
        if (options.Opset < 17)
            throw new ArgumentOutOfRangeException(nameof(options), options.Opset, "Opset must be 17 or later.");
        var outputs = options.Outputs ?? OnnxExportOptions.DefaultOutputs(model.Tasks);
        CheckOutputs(model, outputs);

        var net = model.Network;
        var (rowDim, attentionDim) = RowDims(model, options.RowWidth);
        var g = new OnnxGraphBuilder("mta_multitask");
        g.Input(options.InputName, options.KeyInput ? OnnxElementType.UInt32 : OnnxElementType.Float, options.SingleRow ? 1 : -1, rowDim);
        foreach (var output in outputs)
            g.Reserve(output.Name);

        var writer = new OnnxNetworkWriter(g, model.Tasks.Count);
        // Key values become float ids here; OnnxRelayout turns the input into float, and Cast float → float is a no-op.
        string input = options.KeyInput
            ? g.Node("Cast", [options.InputName], "key_values", OnnxAttr.Int("to", (long)OnnxElementType.Float))
            : options.InputName;
        var (heads, weights) = net.ExportOnnx(writer, input);
        var taskOutputs = new Dictionary<(string, OnnxOutputKind), string>();
        for (int k = 0; k < model.Tasks.Count; k++)
            TaskReadout.ExportOnnx(g, model, k, heads[k], weights, taskOutputs);

        bool needsMlDomain = false;
        foreach (var output in outputs)
        {
            var task = model.Tasks.First(t => t.Name == output.Task);
            var (type, perRowDims) = Describe(task, output.Kind, attentionDim);
            var value = taskOutputs[(output.Task, output.Kind)];
            if (options.SingleRow)
            {
                // A per-row vector of symbolic length (a set's items) keeps a leading 1: ML.NET's OnnxTransformer reads a
                // symbolic first dim as the batch axis and would make it a one-slot vector. Reshape infers the symbolic dim.
                long[] rowShape = perRowDims.Length == 0 ? [1] : perRowDims.Any(d => d < 0) ? [1, .. perRowDims] : perRowDims;
                long[] reshapeTo = rowShape.Select(d => d < 0 ? -1 : d).ToArray();
                g.NodeWithOutputs("Reshape", [value, g.Constant("row_shape", reshapeTo, reshapeTo.Length)], [output.Name], null, "");
                g.Output(output.Name, type, rowShape);
            }
            else
            {
                g.NodeWithOutputs("Identity", [value], [output.Name], null, "");
                g.Output(output.Name, type, [-1, .. perRowDims]);
            }
            if (output.SlotNames is { Count: > 0 } slots)
            {
                AddSlotNames(g, output.Name, slots);
                needsMlDomain = true;
            }
        }
        if (needsMlDomain)
            g.ImportOpset(MlDomain, 2);

        foreach (var (key, value) in OnnxModelMetadata.Describe(model, options.InputName, options.RowWidth))
            g.Metadata(key, value);
        // Where each task tensor lives before the layout step, so OnnxRelayout can re-lay out a saved model.
        g.Metadata(OnnxModelMetadata.TaskValuesKey, OnnxModelMetadata.SerializeTaskValues(
            taskOutputs.Select(e => new OnnxTaskValue(e.Key.Item1, e.Key.Item2, e.Value))));
        if (options.Metadata is not null)
        {
            foreach (var (key, value) in options.Metadata)
                g.Metadata(key, value);
        }
        return OnnxModelMetadata.StampGraphHash(
            g.Build(options.Opset, "Mta.Models", typeof(MultiTaskOnnxExporter).Assembly.GetName().Version?.ToString() ?? "0"));
    }

    /// <summary>The input's per-row dim and the attention outputs' dim: fixed, or symbolic for rows that are sets of any length.</summary>
    private static (long Row, long Attention) RowDims(MultiTaskModel model, int? rowWidth)
    {
        if (model.Network.Layout is not { } layout)
        {
            if (rowWidth is int w && w != model.FeatureCount)
                throw new ArgumentOutOfRangeException(nameof(rowWidth), rowWidth, $"RowWidth must be the model's feature count {model.FeatureCount} (its rows are not sets of items).");
            return (model.FeatureCount, model.AttentionWidth);
        }
        if (rowWidth is null)
            return (OnnxGraphBuilder.ValuesDim, OnnxGraphBuilder.ItemsDim);
        if (rowWidth < layout.MinimumWidth || !layout.Fits(rowWidth.Value))
            throw new ArgumentOutOfRangeException(nameof(rowWidth), rowWidth, $"RowWidth must be {layout.Expected}, with at least one item.");
        return (rowWidth.Value, layout.Items(rowWidth.Value));
    }

    /// <summary>
    /// Element type and per-row dims (without the batch axis) of an output; <paramref name="attentionDim"/> is the
    /// attention width, or <see cref="OnnxGraphBuilder.ItemsDim"/> for a set's items.
    /// </summary>
    internal static (OnnxElementType Type, long[] Dims) Describe(TaskSpec task, OnnxOutputKind kind, long attentionDim) => kind switch
    {
        OnnxOutputKind.Logit or OnnxOutputKind.Probability or OnnxOutputKind.Value => (OnnxElementType.Float, []),
        OnnxOutputKind.PredictedFlag => (OnnxElementType.Bool, []),
        OnnxOutputKind.PredictedIndex => (OnnxElementType.Int64, []),
        OnnxOutputKind.PredictedClassLabel => (OnnxElementType.String, []),
        OnnxOutputKind.Probabilities => (OnnxElementType.Float, [task.ClassCount]),
        _ => (OnnxElementType.Float, [attentionDim]),
    };

    private static void CheckOutputs(MultiTaskModel model, IReadOnlyList<OnnxOutput> outputs) => CheckOutputs(model.Tasks, outputs);

    internal static void CheckOutputs(IReadOnlyList<TaskSpec> tasks, IReadOnlyList<OnnxOutput> outputs)
    {
        if (outputs.Count == 0)
            throw new ArgumentException("At least one ONNX output is needed.", nameof(outputs));
        foreach (var output in outputs)
        {
            var task = tasks.FirstOrDefault(t => t.Name == output.Task)
                ?? throw new ArgumentException($"ONNX output '{output.Name}' names task '{output.Task}', which the model does not have.", nameof(outputs));
            bool fits = output.Kind switch
            {
                OnnxOutputKind.Logit or OnnxOutputKind.Probability or OnnxOutputKind.PredictedFlag => task.Kind == TaskKind.Binary,
                OnnxOutputKind.Probabilities or OnnxOutputKind.PredictedIndex => task.Kind == TaskKind.Multiclass,
                OnnxOutputKind.PredictedClassLabel => task.Kind == TaskKind.Multiclass && task.ClassLabels is not null,
                OnnxOutputKind.Value => task.Kind == TaskKind.Regression,
                OnnxOutputKind.Attention => true,
                _ => false,
            };
            if (!fits)
                throw new ArgumentException($"ONNX output '{output.Name}': {output.Kind} is not available for {task.Kind} task '{task.Name}'" +
                    (output.Kind == OnnxOutputKind.PredictedClassLabel ? " (it needs class labels)." : "."), nameof(outputs));
        }
        var duplicate = outputs.GroupBy(o => o.Name, StringComparer.Ordinal).FirstOrDefault(d => d.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"ONNX output name '{duplicate.Key}' is used twice.", nameof(outputs));
    }

    /// <summary>
    /// ML.NET's OnnxTransformer turns the <c>keys_strings</c> of a node named <c>mlnet.{column}.SlotNames</c> into
    /// the column's slot names. A LabelEncoder carries that attribute legally; its output is unused.
    /// </summary>
    private static void AddSlotNames(OnnxGraphBuilder g, string outputName, IReadOnlyList<string> slots)
    {
        var probe = g.Constant("slot_names_probe", [slots[0]], 1);
        g.NodeWithOutputs("LabelEncoder", [probe], [g.ReserveUnique("slot_names_unused")], $"mlnet.{outputName}.SlotNames", MlDomain,
            OnnxAttr.Strings("keys_strings", [.. slots]),
            OnnxAttr.Ints("values_int64s", [.. Enumerable.Range(0, slots.Count).Select(i => (long)i)]),
            OnnxAttr.Int("default_int64", -1));
    }

}
