using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Mta.Cli.Tests;

/// <summary>
/// Which rows train and which measure: evaluate --cv, experiment's test rows, train --test-dataset / --holdout / --refit,
/// what the model file records, and the bad combinations — each a separate process on a 400-row part of Rotterdam.
/// </summary>
[TestClass]
public sealed class TrainingRowsTests
{
    private static readonly string[] s_labels = ["--label", "recur:binary=1", "--label", "death:binary=1", "--ignore", "rtime,dtime"];

    private static readonly Lazy<string> s_folder = new(() =>
    {
        string folder = Tool.TempFolder();
        var lines = File.ReadAllLines(Tool.Rotterdam);
        // The file is sorted by recurrence: every 7th row keeps both outcomes in a small part.
        var rows = lines.Skip(1).ToArray();
        File.WriteAllLines(Path.Combine(folder, "train.csv"), lines.Take(1).Concat(rows.Where((_, i) => i % 7 == 0).Take(400)));
        File.WriteAllLines(Path.Combine(folder, "test.csv"), lines.Take(1).Concat(rows.Where((_, i) => i % 19 == 1).Take(150)));
        File.WriteAllText(Path.Combine(folder, "options.json"), """{ "Training": { "Epochs": 4, "EarlyStoppingPatience": 2 }, "Network": { "ExpertCount": 2, "ExpertHiddenSizes": [8] } }""");
        return folder;
    });

    private static string TrainFile => Path.Combine(s_folder.Value, "train.csv");

    private static string Options => Path.Combine(s_folder.Value, "options.json");

    [TestMethod]
    public void EvaluateCvPrintsEveryMetricsMeanSpreadAndFolds()
    {
        var result = Tool.Run(["evaluate", "--cv", "3", "--dataset", TrainFile, .. s_labels, "--ignore", "pid", "--group", "pid", "--options", Options]);
        Assert.AreEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Output, "3 folds of 400 rows, assigned at random (seed 42), rows with the same 'pid' in the same fold");
        var auc = result.Output.Split('\n').Where(l => l.Contains("│ AUC ", StringComparison.Ordinal)).ToArray();
        Assert.HasCount(2, auc, result.Output);
        var cells = auc[0].Split('│', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Skip(2).Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray();
        Assert.HasCount(5, cells, "mean, sd, three folds");
        Assert.AreEqual(cells[2..].Average(), cells[0], 1e-4, "the mean is the folds' mean");
        Assert.IsGreaterThan(0.0, cells[1], "the folds differ");
        StringAssert.Contains(result.Output, "fold 3 (");
    }

    [TestMethod]
    public void ExperimentReportsTheBestAndTheDefaultsOnTheSameTestRows()
    {
        string model = Path.Combine(Tool.TempFolder(), "best.zip");
        var result = Tool.Run(["experiment", "--dataset", TrainFile, .. s_labels, "--ignore", "pid", "--max-trials", "2", "--tuner", "random",
            "--cv", "2", "--options", Options, "--output", model]);
        Assert.AreEqual(0, result.ExitCode, result.ToString());
        var testRows = Regex.Match(result.Output, @"test: (\d+) rows, a seeded 20% sample of TrainData \(seed 42\)");
        Assert.IsTrue(testRows.Success, result.Output);
        StringAssert.Contains(result.Output, $"test metrics on {testRows.Groups[1].Value} rows no trial was scored on");
        StringAssert.Contains(result.Output, "defaults (trial 1)");
        StringAssert.Contains(result.Output, "mean over 2 folds");
        var inspect = Tool.Run("inspect", "--model", model);
        Assert.AreEqual(0, inspect.ExitCode, inspect.ToString());
        StringAssert.Contains(inspect.Output, $"{400 - int.Parse(testRows.Groups[1].Value, CultureInfo.InvariantCulture)} rows of train.csv, the experiment's training rows");
    }

    [TestMethod]
    public void ATestFileMeasuresAModelTrainedOnEveryRow()
    {
        string model = Path.Combine(Tool.TempFolder(), "m.zip");
        var result = Tool.Run(["train", "--dataset", TrainFile, .. s_labels, "--ignore", "pid", "--test-dataset", Path.Combine(s_folder.Value, "test.csv"), "--options", Options, "--output", model]);
        Assert.AreEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Output, "held out: test.csv (--test-dataset)");
        var inspect = Tool.Run("inspect", "--model", model);
        StringAssert.Contains(inspect.Output, "all 400 rows of train.csv");
        StringAssert.Contains(inspect.Output, "400 training rows, 150 held-out rows");
    }

    [TestMethod]
    public void ATsvTestFileIsTabSeparatedAndInspectJsonNamesTheRows()
    {
        string folder = Tool.TempFolder();
        string test = Path.Combine(folder, "test.tsv");
        File.WriteAllLines(test, File.ReadAllLines(Path.Combine(s_folder.Value, "test.csv")).Select(l => l.Replace(',', '\t')));
        string model = Path.Combine(folder, "m.zip");
        var result = Tool.Run(["train", "--dataset", TrainFile, .. s_labels, "--ignore", "pid", "--test-dataset", test, "--options", Options, "--output", model]);
        Assert.AreEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Output, "held out: test.tsv (--test-dataset)");

        var inspect = Tool.Run("inspect", "--model", model, "--json");
        Assert.AreEqual(0, inspect.ExitCode, inspect.ToString());
        using var document = JsonDocument.Parse(inspect.Output);
        var data = document.RootElement.GetProperty("data");
        Assert.AreEqual("all 400 rows of train.csv", data.GetProperty("trainedOn").GetString());
        Assert.AreEqual("test.tsv (--test-dataset)", data.GetProperty("evaluatedOn").GetString());
        Assert.AreEqual(150, data.GetProperty("validationRows").GetInt32());
    }

    [TestMethod]
    public void EvaluateCvReadsASemicolonFileLikeTheCsvAndWritesJson()
    {
        string folder = Tool.TempFolder();
        string semicolon = Path.Combine(folder, "train-semicolon.csv");
        File.WriteAllLines(semicolon, File.ReadAllLines(TrainFile).Select(l => l.Replace(',', ';')));
        string[] cv = ["evaluate", "--cv", "2", .. s_labels, "--ignore", "pid", "--options", Options, "--json"];
        var fromCsv = Tool.Run([.. cv, "--dataset", TrainFile]);
        var fromSemicolon = Tool.Run([.. cv, "--dataset", semicolon, "--separator", ";"]);
        Assert.AreEqual(0, fromCsv.ExitCode, fromCsv.ToString());
        Assert.AreEqual(0, fromSemicolon.ExitCode, fromSemicolon.ToString());

        using var csv = JsonDocument.Parse(fromCsv.Output);
        using var semi = JsonDocument.Parse(fromSemicolon.Output);
        StringAssert.Contains(csv.RootElement.GetProperty("split").GetString(), "2 folds of 400 rows");
        var folds = csv.RootElement.GetProperty("folds").EnumerateArray().ToArray();
        Assert.HasCount(2, folds);
        Assert.AreEqual(400, folds.Sum(f => f.GetProperty("testRows").GetInt32()), "every row is in one fold");
        string Metrics(JsonDocument d) => d.RootElement.GetProperty("metrics").GetRawText();
        Assert.AreEqual(Metrics(csv), Metrics(semi), "the same rows, read with the separator given");
        var auc = csv.RootElement.GetProperty("metrics").EnumerateArray().First(m => m.GetProperty("task").GetString() == "recur" && m.GetProperty("metric").GetString() == "AUC");
        Assert.AreEqual(auc.GetProperty("perFold").EnumerateArray().Average(v => v.GetDouble()), auc.GetProperty("mean").GetDouble(), 1e-12);
        StringAssert.Contains(fromCsv.Error, "Tasks: recur", "the column notes go to stderr, leaving stdout to the document");
    }

    [TestMethod]
    public void HoldoutIsASeededSampleAndRefitTrainsEveryRowForTheBestEpoch()
    {
        string model = Path.Combine(Tool.TempFolder(), "m.zip");
        var result = Tool.Run(["train", "--dataset", TrainFile, .. s_labels, "--ignore", "pid", "--holdout", "0.25", "--refit", "--seed", "3", "--options", Options, "--output", model]);
        Assert.AreEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Output, "seeded 25% sample of");
        var refit = Regex.Match(result.Output, @"Refitting on all 400 rows for (\d+) epochs");
        Assert.IsTrue(refit.Success, result.Output);
        var inspect = Tool.Run("inspect", "--model", model);
        Assert.AreEqual(0, inspect.ExitCode, inspect.ToString());
        StringAssert.Contains(inspect.Output, $"all 400 rows of train.csv (--refit: {refit.Groups[1].Value} epochs");
        StringAssert.Contains(inspect.Output, $"Epochs={refit.Groups[1].Value},");
        StringAssert.Contains(inspect.Output, "ValidationFraction=0,");
        StringAssert.Contains(inspect.Output, "(seed 3)");
    }

    [TestMethod]
    public void TheDefaultHoldoutIsEveryFifthRowByIndex()
    {
        var train = TrainedModel.Train;
        Assert.AreEqual(0, train.ExitCode, train.ToString());
        StringAssert.Contains(train.Output, "whose index % 5 == 4");
        StringAssert.Contains(Tool.Run("inspect", "--model", TrainedModel.Path).Output, "those whose index % 5 != 4");
    }

    [TestMethod]
    [DataRow("--cv 1", 2, "--cv 1", DisplayName = "one fold")]
    [DataRow("--cv 500", 3, "--cv 500: numberOfFolds (500) is more than the data's 400 rows", DisplayName = "more folds than rows")]
    [DataRow("--cv 3 --group patient", 3, "--group 'patient'", DisplayName = "a missing grouping column")]
    public void BadCrossValidationIsNamed(string extra, int exitCode, string message)
    {
        var result = Tool.Run(["evaluate", "--dataset", TrainFile, .. s_labels, .. extra.Split(' ')]);
        Assert.AreEqual(exitCode, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Error, message);
    }

    [TestMethod]
    public void ExperimentCvOfOneIsAUsageError()
    {
        var result = Tool.Run(["experiment", "--dataset", TrainFile, .. s_labels, "--cv", "1", "--output", Path.Combine(Tool.TempFolder(), "m.zip")]);
        Assert.AreEqual(2, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Error, "--cv 1");
    }

    [TestMethod]
    public void ATestFileWithOtherColumnsIsNamed()
    {
        string folder = Tool.TempFolder();
        string test = Path.Combine(folder, "fewer.csv");
        File.WriteAllLines(test, File.ReadAllLines(TrainFile).Take(20).Select(l => string.Join(',', l.Split(',').SkipLast(1))));
        var result = Tool.Run(["train", "--dataset", TrainFile, .. s_labels, "--test-dataset", test, "--output", Path.Combine(folder, "m.zip")]);
        Assert.AreEqual(3, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Error, $"--test-dataset '{test}' has other columns");
        StringAssert.Contains(result.Error, "missing: 'death'");
        Assert.IsFalse(File.Exists(Path.Combine(folder, "m.zip")));
    }

    [TestMethod]
    public void ATestFileWithOneOutcomeOnlyIsADataError()
    {
        string folder = Tool.TempFolder();
        string test = Path.Combine(folder, "no-recurrence.csv");
        // The bundled file is sorted by recurrence: its first rows never recur.
        File.WriteAllLines(test, File.ReadAllLines(Tool.Rotterdam).Take(31));
        var result = Tool.Run(["train", "--dataset", TrainFile, .. s_labels, "--ignore", "pid", "--test-dataset", test, "--options", Options, "--output", Path.Combine(folder, "m.zip")]);
        Assert.AreEqual(3, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Error, "no-recurrence.csv (--test-dataset): AUC is not defined");
    }

    [TestMethod]
    [DataRow("--refit", "--refit cannot be used with --test-dataset", DisplayName = "refit")]
    [DataRow("--holdout 0.3", "--holdout cannot be used with --test-dataset", DisplayName = "holdout")]
    public void ATestFileWithRefitOrHoldoutIsAUsageError(string extra, string message)
    {
        var result = Tool.Run(["train", "--dataset", TrainFile, .. s_labels, "--test-dataset", TrainFile, .. extra.Split(' '), "--output", Path.Combine(Tool.TempFolder(), "m.zip")]);
        Assert.AreEqual(2, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Error, message);
    }

    [TestMethod]
    public void AHoldoutOutsideZeroToOneIsAUsageError()
    {
        var result = Tool.Run(["train", "--dataset", TrainFile, .. s_labels, "--holdout", "1.5", "--output", Path.Combine(Tool.TempFolder(), "m.zip")]);
        Assert.AreEqual(2, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Error, "--holdout 1.5");
    }
}
