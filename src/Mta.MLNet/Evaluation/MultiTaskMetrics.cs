using Microsoft.ML.Data;
using Mta.Models.Tasks;

namespace Mta.MLNet.Evaluation;

/// <summary>One task's ML.NET metrics: exactly one of the three is set, by the task's kind.</summary>
public sealed record TaskMetrics(
    string Task,
    TaskKind Kind,
    CalibratedBinaryClassificationMetrics? Binary,
    MulticlassClassificationMetrics? Multiclass,
    RegressionMetrics? Regression)
{
    /// <summary>The task's headline number: AUC (binary), macro accuracy (multiclass), R² (regression).</summary>
    public double Headline => Kind switch
    {
        TaskKind.Binary => Binary!.AreaUnderRocCurve,
        TaskKind.Multiclass => Multiclass!.MacroAccuracy,
        _ => Regression!.RSquared,
    };

    /// <summary>Name of <see cref="Headline"/>.</summary>
    public string HeadlineName => Kind switch
    {
        TaskKind.Binary => "AUC",
        TaskKind.Multiclass => "MacroAccuracy",
        _ => "RSquared",
    };

    /// <summary>
    /// Every number of the task's ML.NET metrics object, by name, in a fixed order (the headline first): what
    /// cross-validation averages and the tool prints.
    /// </summary>
    public IReadOnlyList<(string Name, double Value)> Values() => Kind switch
    {
        TaskKind.Binary =>
        [
            ("AUC", Binary!.AreaUnderRocCurve), ("Accuracy", Binary.Accuracy), ("F1", Binary.F1Score), ("AUPRC", Binary.AreaUnderPrecisionRecallCurve),
            ("PositivePrecision", Binary.PositivePrecision), ("PositiveRecall", Binary.PositiveRecall), ("LogLoss", Binary.LogLoss),
        ],
        TaskKind.Multiclass =>
        [
            ("MacroAccuracy", Multiclass!.MacroAccuracy), ("MicroAccuracy", Multiclass.MicroAccuracy), ("LogLoss", Multiclass.LogLoss),
            ("LogLossReduction", Multiclass.LogLossReduction),
        ],
        _ =>
        [
            ("RSquared", Regression!.RSquared), ("RMSE", Regression.RootMeanSquaredError), ("MAE", Regression.MeanAbsoluteError),
            ("MSE", Regression.MeanSquaredError),
        ],
    };
}

/// <summary>Metrics of every task, by task name.</summary>
public sealed class MultiTaskMetrics
{
    internal MultiTaskMetrics(IReadOnlyList<TaskMetrics> tasks) => Tasks = tasks;

    /// <summary>In task order.</summary>
    public IReadOnlyList<TaskMetrics> Tasks { get; }

    /// <summary>One task's metrics.</summary>
    public TaskMetrics this[string task] => Tasks.FirstOrDefault(t => t.Task == task)
        ?? throw new KeyNotFoundException($"No task named '{task}'. Tasks: {string.Join(", ", Tasks.Select(t => t.Task))}.");
}
