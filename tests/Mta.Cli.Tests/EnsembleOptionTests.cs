namespace Mta.Cli.Tests;

/// <summary>`mta train --options` trains an ensemble, and the saved model scores.</summary>
[TestClass]
public sealed class EnsembleOptionTests
{
    [TestMethod]
    public void AnEnsembleTrainsFromTheOptionsFileAndTheModelScores()
    {
        string folder = Tool.TempFolder();
        string options = Path.Combine(folder, "options.json");
        File.WriteAllText(options, """{ "Network": { "EnsembleMembers": 3 }, "Training": { "Epochs": 3 } }""");
        string model = Path.Combine(folder, "model.zip");
        var train = Tool.Run("train", "--dataset", Tool.Rotterdam, "--label", "recur", "--label", "death",
            "--ignore", "pid,rtime,dtime", "--options", options, "--output", model);
        Assert.AreEqual(0, train.ExitCode, train.ToString());
        string scored = Path.Combine(folder, "scored.csv");
        Assert.AreEqual(0, Tool.Run("score", "--model", model, "--input", Tool.Rotterdam, "--output", scored).ExitCode);
        Assert.IsGreaterThan(100, File.ReadAllLines(scored).Length);
    }
}
