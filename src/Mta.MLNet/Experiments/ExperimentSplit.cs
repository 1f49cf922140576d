using System.Globalization;
using Microsoft.ML;
using Mta.MLNet.Evaluation;

namespace Mta.MLNet.Experiments;

/// <summary>
/// The rows of an experiment: test rows (never scored by a trial), the training pool (train + validation, what a
/// refit sees), and either one validation split of the pool or k folds of it.
/// </summary>
internal sealed record ExperimentSplit(
    IDataView Pool,
    IDataView Test,
    IDataView Train,
    IDataView? Validation,
    IReadOnlyList<CrossValidator.Fold>? Folds,
    int PoolRows,
    int TrainRows,
    int TestRows,
    string Description)
{
    public static ExperimentSplit Create(MLContext ml, MultiTaskExperimentOptions options)
    {
        string Percent(double f) => (f * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";
        string grouped = options.GroupColumnName is null ? "" : $", grouped by '{options.GroupColumnName}'";
        var data = options.TrainData!;

        IDataView pool, test;
        string testText;
        if (options.TestData is null)
        {
            (pool, test) = Split(ml, data, options.TestFraction, options.GroupColumnName, options.Seed);
            testText = $"a seeded {Percent(options.TestFraction)} sample of TrainData (seed {options.Seed}{grouped})";
        }
        else
        {
            (pool, test) = (data, options.TestData);
            testText = "TestData";
        }
        int testRows = CrossValidator.CountRows(test);
        int poolRows = CrossValidator.CountRows(pool);
        if (testRows == 0)
            throw new ArgumentException(options.TestData is null ? $"TestFraction {options.TestFraction} of TrainData left no test rows." : "TestData has no rows.", nameof(options));
        string head = $"test: {testRows} rows, {testText}; ";

        // A second seed: with a grouping column the same seed would hash every group to the same side again.
        int innerSeed = options.Seed + 1;
        if (options.CrossValidationFolds >= 2)
        {
            var (folds, _) = CrossValidator.Split(ml, pool, options.CrossValidationFolds, options.GroupColumnName, innerSeed);
            return new ExperimentSplit(pool, test, pool, null, folds, poolRows, poolRows, testRows,
                head + $"trials scored by their mean over {folds.Count} folds of the other {poolRows} rows (assigned at random, seed {innerSeed}{grouped}); " +
                $"the best and the default options refitted on all {poolRows} of them");
        }
        if (options.ValidationData is not null)
            return new ExperimentSplit(pool, test, pool, options.ValidationData, null, poolRows, poolRows, testRows,
                head + $"trials trained on {poolRows} rows and scored on ValidationData ({CrossValidator.CountRows(options.ValidationData)} rows)");
        var (train, validation) = Split(ml, pool, options.ValidationFraction, options.GroupColumnName, innerSeed);
        int validationRows = CrossValidator.CountRows(validation);
        if (validationRows == 0)
            throw new ArgumentException($"ValidationFraction {options.ValidationFraction} of the {poolRows} non-test rows left no validation rows.", nameof(options));
        return new ExperimentSplit(pool, test, train, validation, null, poolRows, poolRows - validationRows, testRows,
            head + $"validation: {validationRows} rows, a seeded {Percent(options.ValidationFraction)} sample of the other rows (seed {innerSeed}{grouped}), scores the trials; " +
            $"training: {poolRows - validationRows} rows");
    }

    private static (IDataView Remaining, IDataView HeldOut) Split(MLContext ml, IDataView data, double fraction, string? group, int seed)
    {
        var split = ml.Data.TrainTestSplit(data, fraction, group, seed);
        return (split.TrainSet, split.TestSet);
    }
}
