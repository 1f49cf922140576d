using Mta.Models.Onnx;
using Mta.Models.Tasks;
using Mta.Models.TorchSharpFixes;
using TorchSharp;
using static TorchSharp.torch;

namespace Mta.Models.Training;

/// <summary>
/// A task's head output made its predictions: binary logit → probability and flag; multiclass class probabilities
/// (under equal class priors for the balanced decision) → class index and label; regression standardized value →
/// label units. The TorchSharp form (<see cref="MultiTaskModel.Predict"/>) and the ONNX form (the export) side by side.
/// </summary>
internal static class TaskReadout
{
    /// <summary>Task <paramref name="k"/>'s head output [B, 1|K] → score [B], probabilities [B]|[B, K], predicted index [B] (int64), each null where the kind has none.</summary>
    public static (Tensor? Score, Tensor? Probabilities, Tensor? Predicted) Apply(MultiTaskModel model, int k, Tensor head)
    {
        switch (model.Tasks[k].Kind)
        {
            case TaskKind.Binary:
                var logit = head.squeeze(1);
                return (logit, logit.sigmoid(), logit.gt(ConstantScalars.Of(0)).to_type(ScalarType.Int64));
            case TaskKind.Multiclass:
                var p = head.softmax(-1);
                if (model.DecisionPriors(k) is { } priors)
                {
                    // Balanced: the class probabilities under equal class priors, p_c / π_c renormalized,
                    // computed as the exported graph computes it.
                    var adjusted = p.div(tensor(priors));
                    p = adjusted.div(adjusted.sum(-1, keepdim: true));
                }
                return (null, p, p.argmax(-1));
            default:
                using (var scale = model.TargetScaling[k].Scale.ToScalar())
                using (var mean = model.TargetScaling[k].Mean.ToScalar())
                    return (head.squeeze(1).mul(scale).add(mean, ConstantScalars.One), null, null);
        }
    }

    /// <summary>
    /// The ONNX form of <see cref="Apply"/> plus the task's slice of the weights [N, T, W]: the value of every
    /// <see cref="OnnxOutputKind"/> the task has, added to <paramref name="values"/>.
    /// </summary>
    public static void ExportOnnx(OnnxGraphBuilder g, MultiTaskModel model, int k, string head, string weights,
        Dictionary<(string, OnnxOutputKind), string> values)
    {
        var task = model.Tasks[k];
        string p = OnnxNetworkWriter.Prefix(task.Name);
        values[(task.Name, OnnxOutputKind.Attention)] =
            g.Node("Gather", [weights, g.Constant($"{p}_task", [(long)k])], $"{p}_attention", OnnxAttr.Int("axis", 1));
        switch (task.Kind)
        {
            case TaskKind.Binary:
                var logit = g.Node("Squeeze", [head, g.Constant("axis1", [1L], 1)], $"{p}_logit");
                values[(task.Name, OnnxOutputKind.Logit)] = logit;
                values[(task.Name, OnnxOutputKind.Probability)] = g.Node("Sigmoid", [logit], $"{p}_probability");
                values[(task.Name, OnnxOutputKind.PredictedFlag)] = g.Node("Greater", [logit, g.Constant("zero", [0f])], $"{p}_predicted");
                break;
            case TaskKind.Multiclass:
                var probabilities = g.Node("Softmax", [head], $"{p}_probabilities", OnnxAttr.Int("axis", -1));
                if (model.DecisionPriors(k) is { } priors)
                {
                    // Balanced: p_c / π_c renormalized (the probabilities under equal class priors).
                    var adjusted = g.Node("Div", [probabilities, g.Constant($"{p}_class_priors", priors, priors.Length)], $"{p}_adjusted");
                    var total = g.Node("ReduceSum", [adjusted, g.Constant("axis1", [1L], 1)], $"{p}_adjusted_total", OnnxAttr.Int("keepdims", 1));
                    probabilities = g.Node("Div", [adjusted, total], $"{p}_balanced_probabilities");
                }
                var index = g.Node("ArgMax", [probabilities], $"{p}_predicted_index", OnnxAttr.Int("axis", 1), OnnxAttr.Int("keepdims", 0));
                values[(task.Name, OnnxOutputKind.Probabilities)] = probabilities;
                values[(task.Name, OnnxOutputKind.PredictedIndex)] = index;
                if (task.ClassLabels is not null)
                {
                    var labels = g.Constant($"{p}_class_labels", task.ClassLabels.ToArray(), task.ClassCount);
                    values[(task.Name, OnnxOutputKind.PredictedClassLabel)] = g.Node("Gather", [labels, index], $"{p}_predicted_label", OnnxAttr.Int("axis", 0));
                }
                break;
            default:
                var (mean, scale) = model.TargetScaling[k];
                var standardized = g.Node("Squeeze", [head, g.Constant("axis1", [1L], 1)], $"{p}_standardized");
                var scaled = g.Node("Mul", [standardized, g.Constant($"{p}_target_scale", [scale])], $"{p}_scaled");
                values[(task.Name, OnnxOutputKind.Value)] = g.Node("Add", [scaled, g.Constant($"{p}_target_mean", [mean])], $"{p}_value");
                break;
        }
    }
}
