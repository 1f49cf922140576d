using Mta.Models.Data;
using Mta.Models.Modules;
using Mta.Models.Options;
using Mta.Models.Tasks;
using Mta.Models.Training;
using static TorchSharp.torch;

namespace Mta.Models.Onnx;

/// <summary>
/// Writes a trained <see cref="MultiTaskModel"/> as an ONNX graph, op for op the same computation as
/// <see cref="MultiTaskNetwork.forward"/> in eval mode (dropout is the identity there and is not exported).
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
        var z = Standardize(writer, net, input);
        if (net.Numeric is { } numeric)
            z = PiecewiseLinear(writer, numeric, z);
        var (perTask, weights) = net.Encoder.ExportOnnx(writer, z);                               // [T, N, u], [N, T, W]
        if (net.Towers is not null)
            perTask = writer.GroupedMlp(net.Towers, perTask, "tower");                             // [T, N, t]

        var taskOutputs = new Dictionary<(string, OnnxOutputKind), string>();
        for (int k = 0; k < model.Tasks.Count; k++)
            AddTaskTensors(g, writer, model, k, perTask, weights, taskOutputs);

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

    /// <summary>(x - mean) / scale, then non-finite → 0 (the training mean), as in the network.</summary>
    private static string Standardize(OnnxNetworkWriter w, MultiTaskNetwork net, string input)
    {
        if (net.Layout is { } layout)
            return StandardizeSet(w, net, input, layout);
        var g = w.Graph;
        var centered = g.Node("Sub", [input, w.Constant("feature_mean", net.FeatureMean)], "centered");
        var z = g.Node("Div", [centered, w.Constant("feature_scale", net.FeatureScale)], "standardized");
        var bad = g.Node("Or", [g.Node("IsNaN", [z], "is_nan"), g.Node("IsInf", [z], "is_inf")], "not_finite");
        return g.Node("Where", [bad, g.Constant("zero", [0f]), z], "z");
    }

    /// <summary>As <see cref="PiecewiseLinearEncoder.forward"/>: [N, d] → [N, W].</summary>
    private static string PiecewiseLinear(OnnxNetworkWriter w, PiecewiseLinearEncoder numeric, string z)
    {
        var g = w.Graph;
        var gathered = g.Node("Gather", [z, w.Int64s("bin_source", numeric.Source.data<long>().ToArray())], "bin_inputs", OnnxAttr.Int("axis", 1));
        var shifted = g.Node("Sub", [gathered, w.Constant("bin_lower", numeric.Lower)], "bin_shifted");
        var scaled = g.Node("Mul", [shifted, w.Constant("bin_inverse_width", numeric.InverseWidth)], "bin_scaled");
        var floored = g.Node("Max", [scaled, w.Constant("bin_floor", numeric.Floor)], "bin_floored");
        var binned = g.Node("Min", [floored, w.Constant("bin_ceiling", numeric.Ceiling)], "binned");
        var centered = g.Node("Sub", [binned, w.Constant("bin_mean", numeric.Mean)], "bin_centered");
        return g.Node("Mul", [centered, w.Constant("bin_inverse_scale", numeric.InverseScale)], "bin_standardized");
    }

    /// <summary>
    /// As <see cref="MultiTaskNetwork.Standardize"/> for sets: row features per column (non-finite → 0), items per item
    /// value (missing values → 0, padding items — no finite value — → NaN).
    /// </summary>
    private static string StandardizeSet(OnnxNetworkWriter w, MultiTaskNetwork net, string input, ItemLayout layout)
    {
        var g = w.Graph;
        int p = layout.RowFeatures, d = layout.ItemWidth;
        var itemValues = p == 0 ? input
            : g.Node("Slice", [input, w.Int64s("raw_items_start", p), w.Int64s("raw_items_end", long.MaxValue), w.Int64s("raw_items_axis", 1)], "raw_item_values");
        var items = w.Node("Reshape", [itemValues, w.Int64s("raw_items_shape", 0, -1, d)], "raw_items");               // [N, L, d]
        var centered = g.Node("Sub", [items, w.Constant("item_mean", net.FeatureMean.narrow(0, p, d))], "centered");
        var z = g.Node("Div", [centered, w.Constant("item_scale", net.FeatureScale.narrow(0, p, d))], "standardized");
        var bad = g.Node("Or", [g.Node("IsNaN", [z], "is_nan"), g.Node("IsInf", [z], "is_inf")], "not_finite");
        var filled = g.Node("Where", [bad, g.Constant("zero", [0f]), z], "filled");
        // ReduceSum (axes as an input since opset 13) counts each item's finite values; none means padding.
        var finiteCount = g.Node("ReduceSum", [g.Node("Cast", [g.Node("Not", [bad], "finite")], "finite_float", OnnxAttr.Int("to", (long)OnnxElementType.Float)),
            w.Int64s("last_axis", -1)], "finite_count", OnnxAttr.Int("keepdims", 1));                                 // [N, L, 1]
        var padding = g.Node("Less", [finiteCount, g.Constant("half", [0.5f])], "padding");
        var marked = g.Node("Where", [padding, g.Constant("nan", [float.NaN]), filled], "marked");
        var standardizedItems = w.Node("Reshape", [marked, w.Int64s("rows_shape", 0, -1)], p == 0 ? "z" : "z_items");
        if (p == 0)
            return standardizedItems;
        var row = g.Node("Slice", [input, w.Int64s("raw_row_start", 0), w.Int64s("raw_row_end", p), w.Int64s("raw_row_axis", 1)], "raw_row_features");
        var rowZ = g.Node("Div", [g.Node("Sub", [row, w.Constant("row_mean", net.FeatureMean.narrow(0, 0, p))], "row_centered"),
            w.Constant("row_scale", net.FeatureScale.narrow(0, 0, p))], "row_standardized");
        var rowBad = g.Node("Or", [g.Node("IsNaN", [rowZ], "row_is_nan"), g.Node("IsInf", [rowZ], "row_is_inf")], "row_not_finite");
        var rowFilled = g.Node("Where", [rowBad, g.Constant("zero", [0f]), rowZ], "row_filled");
        return g.Node("Concat", [rowFilled, standardizedItems], "z", OnnxAttr.Int("axis", 1));
    }

    private static void AddTaskTensors(OnnxGraphBuilder g, OnnxNetworkWriter w, MultiTaskModel model, int k, string perTask,
        string weights, Dictionary<(string, OnnxOutputKind), string> outputs)
    {
        var task = model.Tasks[k];
        var head = model.Network.Heads[k];
        string p = Sanitize(task.Name);
        var representation = g.Node("Gather", [perTask, g.Constant($"{p}_index", [(long)k])], $"{p}_representation", OnnxAttr.Int("axis", 0));
        string headOut;
        using (var wt = head.weight!.t())
        {
            headOut = g.Node("MatMul", [representation, w.Constant($"{p}_head_weight_t", wt)], $"{p}_head_matmul");
            headOut = g.Node("Add", [headOut, w.Constant($"{p}_head_bias", head.bias!)], $"{p}_head");       // [N, 1|K]
        }
        outputs[(task.Name, OnnxOutputKind.Attention)] =
            g.Node("Gather", [weights, g.Constant($"{p}_task", [(long)k])], $"{p}_attention", OnnxAttr.Int("axis", 1));
        switch (task.Kind)
        {
            case TaskKind.Binary:
                var logit = g.Node("Squeeze", [headOut, g.Constant("axis1", [1L], 1)], $"{p}_logit");
                outputs[(task.Name, OnnxOutputKind.Logit)] = logit;
                outputs[(task.Name, OnnxOutputKind.Probability)] = g.Node("Sigmoid", [logit], $"{p}_probability");
                outputs[(task.Name, OnnxOutputKind.PredictedFlag)] = g.Node("Greater", [logit, g.Constant("zero", [0f])], $"{p}_predicted");
                break;
            case TaskKind.Multiclass:
                var probabilities = g.Node("Softmax", [headOut], $"{p}_probabilities", OnnxAttr.Int("axis", -1));
                if (model.DecisionPriors(k) is { } priors)
                {
                    // Balanced: p_c / π_c renormalized (the probabilities under equal class priors).
                    var adjusted = g.Node("Div", [probabilities, g.Constant($"{p}_class_priors", priors, priors.Length)], $"{p}_adjusted");
                    var total = g.Node("ReduceSum", [adjusted, g.Constant("axis1", [1L], 1)], $"{p}_adjusted_total", OnnxAttr.Int("keepdims", 1));
                    probabilities = g.Node("Div", [adjusted, total], $"{p}_balanced_probabilities");
                }
                var index = g.Node("ArgMax", [probabilities], $"{p}_predicted_index", OnnxAttr.Int("axis", 1), OnnxAttr.Int("keepdims", 0));
                outputs[(task.Name, OnnxOutputKind.Probabilities)] = probabilities;
                outputs[(task.Name, OnnxOutputKind.PredictedIndex)] = index;
                if (task.ClassLabels is not null)
                {
                    var labels = g.Constant($"{p}_class_labels", task.ClassLabels.ToArray(), task.ClassCount);
                    outputs[(task.Name, OnnxOutputKind.PredictedClassLabel)] = g.Node("Gather", [labels, index], $"{p}_predicted_label", OnnxAttr.Int("axis", 0));
                }
                break;
            default:
                var (mean, scale) = model.TargetScaling[k];
                var standardized = g.Node("Squeeze", [headOut, g.Constant("axis1", [1L], 1)], $"{p}_standardized");
                var scaled = g.Node("Mul", [standardized, g.Constant($"{p}_target_scale", [scale])], $"{p}_scaled");
                outputs[(task.Name, OnnxOutputKind.Value)] = g.Node("Add", [scaled, g.Constant($"{p}_target_mean", [mean])], $"{p}_value");
                break;
        }
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

    private static string Sanitize(string name) => new(name.Select(ch => char.IsLetterOrDigit(ch) ? ch : '_').ToArray());
}
