using Mta.Models.Modules;
using Mta.Models.Tasks;
using Mta.Models.Tasks.Heads;
using Mta.Models.Training;

namespace Mta.Models.Onnx;

/// <summary>
/// Writes a trained <see cref="MultiTaskModel"/> as an ONNX graph: the network's own ONNX form
/// (<see cref="MultiTaskNetwork.ExportOnnx"/>), each task's attention and its head's readout (<see cref="TaskHead.ExportOnnx"/>), the requested outputs
/// and the model's metadata.
/// </summary>
internal static class MultiTaskOnnxExporter
{
    public static byte[] Export(MultiTaskModel model, OnnxExportOptions options)
    {
        if (options.Opset < 17)
            throw new ArgumentOutOfRangeException(nameof(options), options.Opset, "Opset must be 17 or later.");
        var outputs = options.Outputs ?? OnnxExportOptions.DefaultOutputs(model.Tasks);
        CheckOutputs(model, outputs);

        // Rows that are sets of items may have any number of items: a symbolic values dim, and one weight per item.
        bool sets = model.Network.Layout is not null;
        long attentionDim = sets ? OnnxGraphBuilder.ItemsDim : model.AttentionWidth;
        var g = new OnnxGraphBuilder("mta_multitask");
        g.Input(options.InputName, OnnxElementType.Float, -1, sets ? OnnxGraphBuilder.ValuesDim : model.FeatureCount);
        foreach (var output in outputs)
            g.Reserve(output.Name);

        var (heads, weights) = model.Network.ExportOnnx(new OnnxNetworkWriter(g, model.Tasks.Count), options.InputName);
        var taskValues = new Dictionary<(string, OnnxOutputKind), string>();
        for (int k = 0; k < model.Tasks.Count; k++)
        {
            // The task's slice of the weights [N, T, W]: every task has an attention output, whatever its kind.
            var task = model.Tasks[k];
            string p = OnnxNetworkWriter.Prefix(task.Name);
            taskValues[(task.Name, OnnxOutputKind.Attention)] =
                g.Node("Gather", [weights, g.Constant($"{p}_task", [(long)k])], $"{p}_attention", OnnxAttr.Int("axis", 1));
            TaskHeads.For(task).ExportOnnx(g, model.Trained(k), heads[k], taskValues);
        }

        // The output step: one Identity per requested output, so that another one can replace it (see TaskValuesKey).
        foreach (var output in outputs)
        {
            var (type, perRowDims) = Describe(model.Tasks.First(t => t.Name == output.Task), output.Kind, attentionDim);
            g.NodeWithOutputs("Identity", [taskValues[(output.Task, output.Kind)]], [output.Name], null, "");
            g.Output(output.Name, type, [-1, .. perRowDims]);
        }

        foreach (var (key, value) in OnnxModelMetadata.Describe(model, options.InputName))
            g.Metadata(key, value);
        g.Metadata(OnnxModelMetadata.TaskValuesKey, OnnxModelMetadata.SerializeTaskValues(
            taskValues.Select(e => new OnnxTaskValue(e.Key.Item1, e.Key.Item2, e.Value))));
        if (options.Metadata is not null)
        {
            foreach (var (key, value) in options.Metadata)
                g.Metadata(key, value);
        }
        return OnnxModelMetadata.StampGraphHash(
            g.Build(options.Opset, "Mta.Models", typeof(MultiTaskOnnxExporter).Assembly.GetName().Version?.ToString() ?? "0"));
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
            bool fits = output.Kind == OnnxOutputKind.Attention || TaskHeads.For(task).Offers(task, output.Kind);
            if (!fits)
                throw new ArgumentException($"ONNX output '{output.Name}': {output.Kind} is not available for {task.Kind} task '{task.Name}'" +
                    (output.Kind == OnnxOutputKind.PredictedClassLabel ? " (it needs class labels)." : "."), nameof(outputs));
        }
        var duplicate = outputs.GroupBy(o => o.Name, StringComparer.Ordinal).FirstOrDefault(d => d.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"ONNX output name '{duplicate.Key}' is used twice.", nameof(outputs));
    }
}
