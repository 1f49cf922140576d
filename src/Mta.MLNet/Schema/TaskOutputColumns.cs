using Mta.Models.Onnx;
using Mta.Models.Tasks;

namespace Mta.MLNet.Schema;

/// <summary>
/// The one definition of the columns a fitted model adds per task, in order: the output schema an estimator promises
/// (<see cref="OutputSchemaShape"/>), the batched graph <c>Transform</c> runs and the single-row graph of the saved
/// chain (<see cref="Scoring.OnnxLayouts"/>) are all derived from it.
/// </summary>
internal static class TaskOutputColumns
{
    public static IEnumerable<TaskOutputColumn> For(string task, TaskKind kind)
    {
        switch (kind)
        {
            case TaskKind.Binary:
                yield return new(task, OutputColumnNames.Score(task), OutputColumnType.Single, OnnxOutputKind.Logit);
                yield return new(task, OutputColumnNames.Probability(task), OutputColumnType.Single, OnnxOutputKind.Probability);
                yield return new(task, OutputColumnNames.PredictedLabel(task), OutputColumnType.Boolean, OnnxOutputKind.PredictedFlag);
                break;
            case TaskKind.Multiclass:
                yield return new(task, OutputColumnNames.Score(task), OutputColumnType.VectorOfSingle, OnnxOutputKind.Probabilities);
                yield return new(task, OutputColumnNames.PredictedLabel(task), OutputColumnType.LabelKey, OnnxOutputKind.PredictedIndex);
                break;
            default:
                yield return new(task, OutputColumnNames.Score(task), OutputColumnType.Single, OnnxOutputKind.Value);
                break;
        }
        yield return new(task, OutputColumnNames.Attention(task), OutputColumnType.VectorOfSingle, OnnxOutputKind.Attention);
    }

    /// <summary>Every task's columns, task by task.</summary>
    public static IEnumerable<TaskOutputColumn> For(IReadOnlyList<TaskSpec> tasks) => tasks.SelectMany(t => For(t.Name, t.Kind));
}

/// <summary>One output column of a task.</summary>
/// <param name="Task">Task name.</param>
/// <param name="Name">The ML.NET column name.</param>
/// <param name="Type">Its ML.NET type.</param>
/// <param name="Source">The ONNX output of the batched graph that fills it.</param>
internal sealed record TaskOutputColumn(string Task, string Name, OutputColumnType Type, OnnxOutputKind Source);

/// <summary>The ML.NET type of an output column.</summary>
internal enum OutputColumnType
{
    /// <summary>A scalar Single.</summary>
    Single,

    /// <summary>A scalar Boolean.</summary>
    Boolean,

    /// <summary>A known-size vector of Single (class probabilities, attention).</summary>
    VectorOfSingle,

    /// <summary>A key of the label column's classes (the multiclass prediction).</summary>
    LabelKey,
}
