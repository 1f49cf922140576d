namespace Mta.Cli.Tests;

/// <summary>`mta train --options` reads every loss weighting by name, and answers a misspelt one with the choices.</summary>
[TestClass]
public sealed class LossWeightingOptionTests
{
    [TestMethod]
    public void AGradientMethodTrainsFromTheOptionsFileAndTheModelScores()
    {
        string folder = Tool.TempFolder();
        string options = Path.Combine(folder, "options.json");
        File.WriteAllText(options, """{ "Training": { "Epochs": 3, "LossWeighting": "CAGrad" } }""");
        string model = Path.Combine(folder, "model.zip");
        var train = Tool.Run("train", "--dataset", Tool.Rotterdam, "--label", "recur", "--label", "death",
            "--ignore", "pid,rtime,dtime", "--options", options, "--output", model);
        Assert.AreEqual(0, train.ExitCode, train.ToString());
        string scored = Path.Combine(folder, "scored.csv");
        Assert.AreEqual(0, Tool.Run("score", "--model", model, "--input", Tool.Rotterdam, "--output", scored).ExitCode);
        Assert.IsGreaterThan(100, File.ReadAllLines(scored).Length);
    }

    [TestMethod]
    public void AnUnknownWeightingIsNamed()
    {
        string folder = Tool.TempFolder();
        string options = Path.Combine(folder, "options.json");
        File.WriteAllText(options, """{ "Training": { "LossWeighting": "PCGradd" } }""");
        var train = Tool.Run("train", "--dataset", Tool.Rotterdam, "--label", "recur", "--label", "death",
            "--ignore", "pid,rtime,dtime", "--options", options, "--output", Path.Combine(folder, "model.zip"));
        Assert.AreNotEqual(0, train.ExitCode);
        StringAssert.Contains(train.ToString(), "Training.LossWeighting must be one of Fixed, ");
        StringAssert.Contains(train.ToString(), "PCGrad, CAGrad");
    }
}
