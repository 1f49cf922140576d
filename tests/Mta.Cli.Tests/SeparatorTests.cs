namespace Mta.Cli.Tests;

/// <summary>Semicolon- and tab-separated files: --separator, and .tsv by extension, for every verb that reads data.</summary>
[TestClass]
public sealed class SeparatorTests
{
    [TestMethod]
    public void SemicolonAndTabFilesTrainEvaluateScoreAndExperimentLikeTheCsv()
    {
        string folder = Tool.TempFolder();
        string semicolon = Path.Combine(folder, "rotterdam-semicolon.csv");
        File.WriteAllLines(semicolon, File.ReadAllLines(Tool.Rotterdam).Select(l => l.Replace(',', ';')));
        string tsv = Path.Combine(folder, "rotterdam.tsv");
        File.WriteAllLines(tsv, File.ReadAllLines(Tool.Rotterdam).Select(l => l.Replace(',', '\t')));

        var train = ProbeData.Train(folder, semicolon, "death", "recur", "--separator", ";");
        Assert.AreEqual(0, train.ExitCode, train.ToString());
        StringAssert.Contains(train.Output, "9 numeric, 1 text", "the same column types as from the CSV");
        string model = Path.Combine(folder, "model.zip");

        var evaluate = Tool.Run("evaluate", "--model", model, "--dataset", tsv);
        Assert.AreEqual(0, evaluate.ExitCode, evaluate.ToString());
        StringAssert.Contains(evaluate.Output, "AUC");

        string fromCsv = Path.Combine(folder, "from-csv.csv"), fromSemicolon = Path.Combine(folder, "from-semicolon.csv"), fromTsv = Path.Combine(folder, "from-tsv.tsv");
        Assert.AreEqual(0, Tool.Run("score", "--model", model, "--input", Tool.Rotterdam, "--output", fromCsv).ExitCode);
        var score = Tool.Run("score", "--model", model, "--input", semicolon, "--separator", ";", "--output", fromSemicolon);
        Assert.AreEqual(0, score.ExitCode, score.ToString());
        Assert.AreEqual(0, Tool.Run("score", "--model", model, "--input", tsv, "--output", fromTsv).ExitCode);
        // The kept text column `size` ("<=20") is quoted in the source only; compare unquoted fields.
        var expected = File.ReadAllLines(fromCsv).Select(l => l.Replace("\"", "", StringComparison.Ordinal)).ToArray();
        CollectionAssert.AreEqual(expected, File.ReadAllLines(fromSemicolon).Select(l => l.Replace("\"", "", StringComparison.Ordinal)).ToArray());
        CollectionAssert.AreEqual(expected, File.ReadAllLines(fromTsv).Select(l => l.Replace("\"", "", StringComparison.Ordinal).Replace('\t', ',')).ToArray(),
            "a .tsv output is tab separated");

        var experiment = Tool.Run("experiment", "--dataset", tsv, "--label", "death", "--ignore", "pid,rtime,dtime", "--max-trials", "1", "--time", "60",
            "--options", ProbeData.QuickOptions(folder), "--output", Path.Combine(folder, "best.zip"));
        Assert.AreEqual(0, experiment.ExitCode, experiment.ToString());
    }

    [TestMethod]
    public void ASeparatorOfSeveralCharactersFailsAtParseTime()
    {
        var result = Tool.Run("score", "--model", "m.zip", "--input", "i.csv", "--output", "o.csv", "--separator", ";;");
        Assert.AreEqual(2, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Error, "--separator ';;'");
    }

    [TestMethod]
    public void AWrongSeparatorNamesTheMissingColumns()
    {
        string folder = Tool.TempFolder();
        string semicolon = Path.Combine(folder, "semicolon.csv");
        File.WriteAllLines(semicolon, File.ReadAllLines(Tool.Rotterdam).Take(20).Select(l => l.Replace(',', ';')));
        var result = Tool.Run("score", "--model", TrainedModel.Path, "--input", semicolon, "--output", Path.Combine(folder, "o.csv"));
        Assert.AreEqual(3, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Error, "'age'");
    }
}
