using System.Globalization;
using Microsoft.ML;
using Mta.Cli.Data;
using Mta.Cli.Models;
using Mta.MLNet;

namespace Mta.Cli.Commands;

/// <summary>
/// Which rows <c>mta train</c> fits on and which it reports on: every 5th row by index held out (the default, the rule
/// the benchmarks share), a seeded sample (<c>--holdout</c>), or a separate file (<c>--test-dataset</c>, training on every row).
/// </summary>
internal sealed record TrainRows(IDataView Train, IDataView Report, int TrainingRows, int ReportRows, string TrainedOn, string ReportedOn)
{
    public static TrainRows Choose(MLContext ml, TrainingSet set, DataFile? testDataset, double? holdout, int seed, BadRowPolicy policy)
    {
        string file = Path.GetFileName(set.Dataset.Path);
        if (testDataset is not null)
        {
            var test = ReadTestFile(ml, set, testDataset, policy);
            int rows = TrainingSet.CountRows(set.Data);
            return new TrainRows(set.Data, test, rows, TrainingSet.CountRows(test), $"all {rows} rows of {file}", $"{Path.GetFileName(testDataset.Path)} (--test-dataset)");
        }
        if (holdout is double fraction)
        {
            var split = ml.Data.TrainTestSplit(set.Data, fraction, seed: seed);
            string percent = (fraction * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";
            int trainRows = TrainingSet.CountRows(split.TrainSet), heldOut = TrainingSet.CountRows(split.TestSet);
            if (heldOut == 0 || trainRows == 0)
                throw CliException.BadInput($"--holdout {fraction.ToString(CultureInfo.InvariantCulture)}: {file} has too few rows to hold out that share ({trainRows} training, {heldOut} held out).");
            return new TrainRows(split.TrainSet, split.TestSet, trainRows, heldOut,
                $"{trainRows} rows of {file}: all but a seeded {percent} sample (seed {seed})", $"a seeded {percent} sample of {file}, {heldOut} rows (seed {seed})");
        }
        var (train, validation) = ml.MultiTask().SplitByRowIndex(set.Data);
        int n = TrainingSet.CountRows(train), v = TrainingSet.CountRows(validation);
        return new TrainRows(train, validation, n, v, $"{n} rows of {file}: those whose index % 5 != 4", $"the {v} rows of {file} whose index % 5 == 4");
    }

    /// <summary>The test file, read with the training file's column types and label coding; it must have the same columns.</summary>
    private static IDataView ReadTestFile(MLContext ml, TrainingSet set, DataFile path, BadRowPolicy policy)
    {
        var expected = TableReader.ColumnNamesOf(set.Dataset);
        var actual = TableReader.ColumnNamesOf(path);
        var missing = expected.Except(actual).ToArray();
        var extra = actual.Except(expected).ToArray();
        if (missing.Length > 0 || extra.Length > 0)
            throw CliException.BadInput($"--test-dataset '{path}' has other columns than --dataset '{set.Dataset}'" +
                (missing.Length > 0 ? $"; missing: {string.Join(", ", missing.Select(m => $"'{m}'"))}" : "") +
                (extra.Length > 0 ? $"; not in the training file: {string.Join(", ", extra.Select(m => $"'{m}'"))}" : "") + ".");
        var view = new TableDataView(path, [.. set.Requests], RowFilter.All, policy, set.BadRows);
        return Labels.ToKeys(ml, view, set.Inferred.Labels);
    }
}
