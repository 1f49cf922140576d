using Microsoft.ML;

namespace Mta.MLNet.Evaluation;

/// <summary>One fold of a cross-validation, as ML.NET's <c>CrossValidationResult</c>: the model fitted without the fold's rows, scored on them.</summary>
/// <param name="Fold">0-based fold number.</param>
/// <param name="Model">The pipeline fitted on the other folds; the caller disposes it (see <see cref="MultiTaskCrossValidationResult.Dispose"/>).</param>
/// <param name="Metrics">Every task's metrics on the fold's rows.</param>
/// <param name="ScoredHoldOutSet">The fold's rows scored by <paramref name="Model"/> (lazy: read it before disposing the model).</param>
/// <param name="TrainingRows">Rows the model was fitted on.</param>
/// <param name="TestRows">Rows of the fold.</param>
public sealed record MultiTaskFoldResult(int Fold, ITransformer Model, MultiTaskMetrics Metrics, IDataView ScoredHoldOutSet, int TrainingRows, int TestRows);

/// <summary>One metric of one task over the folds.</summary>
/// <param name="Task">Task name.</param>
/// <param name="Metric">Metric name, as in <see cref="TaskMetrics.Values"/>.</param>
/// <param name="Mean">Mean over the folds.</param>
/// <param name="StandardDeviation">Sample standard deviation over the folds (divisor k − 1).</param>
/// <param name="PerFold">The metric in each fold, in fold order.</param>
public sealed record MetricSummary(string Task, string Metric, double Mean, double StandardDeviation, IReadOnlyList<double> PerFold);

/// <summary>What <c>mlContext.MultiTask().CrossValidate</c> returns: every fold and the mean ± standard deviation of every metric.</summary>
public sealed class MultiTaskCrossValidationResult : IDisposable
{
    internal MultiTaskCrossValidationResult(IReadOnlyList<MultiTaskFoldResult> folds, string split)
    {
        Folds = folds;
        Split = split;
        Summary = Summarize(folds);
    }

    /// <summary>The folds, in order.</summary>
    public IReadOnlyList<MultiTaskFoldResult> Folds { get; }

    /// <summary>How the rows were assigned to folds (seed, grouping column), in words.</summary>
    public string Split { get; }

    /// <summary>Every task's every metric: mean and standard deviation over the folds, tasks in order, headline metric first.</summary>
    public IReadOnlyList<MetricSummary> Summary { get; }

    /// <summary>One task's metric over the folds.</summary>
    public MetricSummary this[string task, string metric] => Summary.FirstOrDefault(s => s.Task == task && s.Metric == metric)
        ?? throw new KeyNotFoundException($"No metric '{metric}' of task '{task}'. Known: {string.Join(", ", Summary.Select(s => $"{s.Task}/{s.Metric}"))}.");

    /// <summary>Disposes every fold's multi-task model (ONNX Runtime sessions).</summary>
    public void Dispose()
    {
        foreach (var fold in Folds)
            CrossValidator.DisposeModel(fold.Model);
    }

    internal static IReadOnlyList<MetricSummary> Summarize(IReadOnlyList<MultiTaskFoldResult> folds) =>
        Summarize(folds.Select(f => f.Metrics).ToArray());

    internal static IReadOnlyList<MetricSummary> Summarize(IReadOnlyList<MultiTaskMetrics> folds)
    {
        var summary = new List<MetricSummary>();
        foreach (var task in folds[0].Tasks)
        {
            var names = task.Values().Select(v => v.Name).ToArray();
            for (int m = 0; m < names.Length; m++)
            {
                var values = folds.Select(f => f[task.Task].Values()[m].Value).ToArray();
                double mean = values.Average();
                double sd = values.Length < 2 ? double.NaN : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
                summary.Add(new MetricSummary(task.Task, names[m], mean, sd, values));
            }
        }
        return summary;
    }
}
