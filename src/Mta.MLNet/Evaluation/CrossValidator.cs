using Microsoft.ML;
using Microsoft.ML.Data;

namespace Mta.MLNet.Evaluation;

/// <summary>k-fold splits (ML.NET's <c>CrossValidationSplit</c>) checked for the mistakes that would otherwise fail deep inside a fit.</summary>
internal static class CrossValidator
{
    internal sealed record Fold(IDataView Train, IDataView Test, int TrainingRows, int TestRows);

    /// <summary>The folds of <paramref name="data"/>, each with a non-empty test part, and the split described in words.</summary>
    public static (IReadOnlyList<Fold> Folds, string Description) Split(MLContext ml, IDataView data, int numberOfFolds, string? groupColumnName, int? seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (numberOfFolds < 2)
            throw new ArgumentOutOfRangeException(nameof(numberOfFolds), numberOfFolds, "numberOfFolds must be at least 2.");
        if (groupColumnName is not null && data.Schema.GetColumnOrNull(groupColumnName) is null)
            throw new ArgumentException($"The grouping column '{groupColumnName}' is not in the data. Columns: {string.Join(", ", data.Schema.Where(c => !c.IsHidden).Select(c => c.Name))}.", nameof(groupColumnName));
        int rows = CountRows(data);
        if (numberOfFolds > rows)
            throw new ArgumentOutOfRangeException(nameof(numberOfFolds), numberOfFolds, $"numberOfFolds ({numberOfFolds}) is more than the data's {rows} rows.");
        var folds = new List<Fold>();
        foreach (var split in ml.Data.CrossValidationSplit(data, numberOfFolds, groupColumnName, seed))
        {
            int test = CountRows(split.TestSet);
            // Assignment is by a hash, so a fold can be empty although rows ≥ folds (few rows, or few groups).
            if (test == 0)
                throw new ArgumentOutOfRangeException(nameof(numberOfFolds), numberOfFolds,
                    $"Fold {folds.Count + 1} of {numberOfFolds} has no rows: {rows} rows" + (groupColumnName is null ? "" : $" (grouped by '{groupColumnName}')") + " are too few for that many folds.");
            folds.Add(new Fold(split.TrainSet, split.TestSet, rows - test, test));
        }
        string description = $"{numberOfFolds} folds of {rows} rows, assigned at random (seed {(seed is int s ? s.ToString(System.Globalization.CultureInfo.InvariantCulture) : "of the MLContext")})" +
            (groupColumnName is null ? "" : $", rows with the same '{groupColumnName}' in the same fold");
        return (folds, description);
    }

    public static MultiTaskCrossValidationResult Run(MLContext ml, IDataView data, IEstimator<ITransformer> estimator, IReadOnlyList<TaskColumn>? tasks,
        int numberOfFolds, string? groupColumnName, int? seed)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        tasks ??= TasksOf(estimator) ?? throw new ArgumentException(
            "The estimator's tasks could not be found (it is neither a multi-task estimator nor a chain ending in one): pass them as tasks.", nameof(tasks));
        var (folds, description) = Split(ml, data, numberOfFolds, groupColumnName, seed);
        var results = new List<MultiTaskFoldResult>();
        try
        {
            foreach (var fold in folds)
            {
                var model = estimator.Fit(fold.Train);
                var scored = model.Transform(fold.Test);
                results.Add(new MultiTaskFoldResult(results.Count, model, MultiTaskEvaluator.Evaluate(ml, scored, tasks), scored, fold.TrainingRows, fold.TestRows));
            }
            return new MultiTaskCrossValidationResult(results, description);
        }
        catch
        {
            foreach (var done in results)
                DisposeModel(done.Model);
            throw;
        }
    }

    /// <summary>The tasks of a multi-task estimator, or of the one ending a chain (featurizer.Append(Attention(...))).</summary>
    private static IReadOnlyList<TaskColumn>? TasksOf(IEstimator<ITransformer> estimator) => estimator switch
    {
        MultiTaskEstimator multiTask => [.. multiTask.Options.Tasks],
        EstimatorChain<MultiTaskTransformer> { LastEstimator: MultiTaskEstimator last } => [.. last.Options.Tasks],
        _ => null,
    };

    /// <summary>Disposes the multi-task steps of a fitted pipeline (ML.NET's transformers are not disposable; ours hold ONNX sessions).</summary>
    public static void DisposeModel(ITransformer model)
    {
        if (model is IEnumerable<ITransformer> chain)
        {
            foreach (var step in chain)
                DisposeModel(step);
        }
        else if (model is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }

    public static int CountRows(IDataView data)
    {
        if (data.GetRowCount() is long known)
            return checked((int)known);
        int rows = 0;
        using var cursor = data.GetRowCursor([]);
        while (cursor.MoveNext())
            rows++;
        return rows;
    }
}
