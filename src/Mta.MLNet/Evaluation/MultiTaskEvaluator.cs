using Microsoft.ML;
using Microsoft.ML.Data;
using Mta.MLNet.Schema;
using Mta.Models.Tasks;

namespace Mta.MLNet.Evaluation;

/// <summary>Runs ML.NET's evaluator of each task's kind on that task's columns.</summary>
internal static class MultiTaskEvaluator
{
    public static MultiTaskMetrics Evaluate(MLContext mlContext, IDataView predictions, IReadOnlyList<TaskColumn> tasks)
    {
        if (tasks.Count == 0)
            throw new ArgumentException("At least one task is needed.", nameof(tasks));
        var results = new List<TaskMetrics>();
        foreach (var task in tasks)
        {
            string score = OutputColumnNames.Score(task.Name);
            var scoreColumn = predictions.Schema.GetColumnOrNull(score)
                ?? throw new ArgumentOutOfRangeException(nameof(predictions), $"Column '{score}' (task '{task.Name}') is not in the scored data: was it scored by this model?");
            if (predictions.Schema.GetColumnOrNull(task.LabelColumnName) is null)
                throw new ArgumentOutOfRangeException(nameof(predictions), $"Label column '{task.LabelColumnName}' (task '{task.Name}') is not in the scored data.");
            var kind = task.Kind ?? (scoreColumn.Type is VectorDataViewType ? TaskKind.Multiclass
                : predictions.Schema.GetColumnOrNull(OutputColumnNames.Probability(task.Name)) is not null ? TaskKind.Binary
                : TaskKind.Regression);
            results.Add(kind switch
            {
                TaskKind.Binary => new TaskMetrics(task.Name, kind, mlContext.BinaryClassification.Evaluate(predictions, task.LabelColumnName, score,
                    OutputColumnNames.Probability(task.Name), OutputColumnNames.PredictedLabel(task.Name)), null, null),
                TaskKind.Multiclass => new TaskMetrics(task.Name, kind, null, mlContext.MulticlassClassification.Evaluate(predictions, task.LabelColumnName, score,
                    OutputColumnNames.PredictedLabel(task.Name)), null),
                _ => new TaskMetrics(task.Name, kind, null, null, mlContext.Regression.Evaluate(predictions, task.LabelColumnName, score)),
            });
        }
        return new MultiTaskMetrics(results);
    }
}
