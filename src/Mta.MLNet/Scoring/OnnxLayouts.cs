using Mta.MLNet.Data;
using Mta.MLNet.Schema;
using Mta.Models.Onnx;
using Mta.Models.Tasks;

namespace Mta.MLNet.Scoring;

/// <summary>
/// The two ONNX forms a fitted model is exported in. Both use ML.NET column names as tensor names.
/// <list type="bullet">
/// <item>Batched ([N, d] in): what <see cref="MultiTaskTransformer.Transform"/> runs, many rows per call.</item>
/// <item>Single-row ([1, d] in, scalar outputs): what ML.NET's own OnnxTransformer needs (it feeds one row at a
/// time and maps only rank-0 outputs to scalar columns). It backs PredictionEngine and the saved model.</item>
/// </list>
/// </summary>
internal static class OnnxLayouts
{
    public static OnnxExportOptions Batched(string featureColumnName, IReadOnlyList<ResolvedTask> tasks) => new()
    {
        InputName = featureColumnName,
        Outputs = tasks.SelectMany(t => BatchedOutputs(t.Spec)).ToArray(),
    };

    public static OnnxExportOptions SingleRow(string featureColumnName, IReadOnlyList<ResolvedTask> tasks) => new()
    {
        InputName = featureColumnName,
        SingleRow = true,
        Outputs = tasks.SelectMany(t => SingleRowOutputs(t.Spec)).ToArray(),
    };

    private static IEnumerable<OnnxOutput> BatchedOutputs(TaskSpec task)
    {
        string t = task.Name;
        switch (task.Kind)
        {
            case TaskKind.Binary:
                yield return new(t, OnnxOutputKind.Logit, OutputColumnNames.Score(t));
                yield return new(t, OnnxOutputKind.Probability, OutputColumnNames.Probability(t));
                yield return new(t, OnnxOutputKind.PredictedFlag, OutputColumnNames.PredictedLabel(t));
                break;
            case TaskKind.Multiclass:
                yield return new(t, OnnxOutputKind.Probabilities, OutputColumnNames.Score(t));
                // The index becomes the key (index + 1) on our side: no string round trip in the fast path.
                yield return new(t, OnnxOutputKind.PredictedIndex, OutputColumnNames.PredictedLabel(t));
                break;
            default:
                yield return new(t, OnnxOutputKind.Value, OutputColumnNames.Score(t));
                break;
        }
        yield return new(t, OnnxOutputKind.Attention, OutputColumnNames.Attention(t));
    }

    private static IEnumerable<OnnxOutput> SingleRowOutputs(TaskSpec task)
    {
        string t = task.Name;
        switch (task.Kind)
        {
            case TaskKind.Binary:
                yield return new(t, OnnxOutputKind.Logit, OutputColumnNames.Score(t));
                yield return new(t, OnnxOutputKind.Probability, OutputColumnNames.Probability(t));
                yield return new(t, OnnxOutputKind.PredictedFlag, OutputColumnNames.PredictedLabel(t));
                break;
            case TaskKind.Multiclass:
                yield return new(t, OnnxOutputKind.Probabilities, OutputColumnNames.Score(t), task.ClassLabels);
                // ML.NET's ValueToKey turns the class name into the key, with the class names as key values.
                yield return new(t, OnnxOutputKind.PredictedClassLabel, OutputColumnNames.PredictedLabelText(t));
                break;
            default:
                yield return new(t, OnnxOutputKind.Value, OutputColumnNames.Score(t));
                break;
        }
        yield return new(t, OnnxOutputKind.Attention, OutputColumnNames.Attention(t));
    }
}
