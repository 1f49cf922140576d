namespace Mta.Cli.Tests;

/// <summary>
/// `mta train --options` reads every loss weighting by name (and answers a misspelt one with the choices), the
/// learning-rate schedule and the ensemble, and names a bad value; the saved model scores.
/// </summary>
[TestClass]
public sealed class OptionsFileTests
{
    [TestMethod]
    [DataRow("""{ "Training": { "Epochs": 3, "LossWeighting": "CAGrad" } }""")]
    [DataRow("""{ "Training": { "Epochs": 3, "LearningRateSchedule": "Cosine", "AdamBeta2": 0.95, "PerTaskBestEpoch": true, "LabelSmoothing": 0.1, "TemperatureScaling": true } }""")]
    [DataRow("""{ "Network": { "EnsembleMembers": 3 }, "Training": { "Epochs": 3 } }""")]
    [DataRow("""{ "Network": { "NumericEncoding": "RobustScaled" }, "Training": { "Epochs": 3 } }""")]
    public void TheOptionsFileTrainsAModelThatScores(string json)
    {
        string folder = Tool.TempFolder();
        string options = Path.Combine(folder, "options.json");
        File.WriteAllText(options, json);
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

    [TestMethod]
    public void ABeta2OfOneIsNamed()
    {
        string folder = Tool.TempFolder();
        string options = Path.Combine(folder, "options.json");
        File.WriteAllText(options, """{ "Training": { "AdamBeta2": 1 } }""");
        var train = Tool.Run("train", "--dataset", Tool.Rotterdam, "--label", "recur", "--label", "death",
            "--ignore", "pid,rtime,dtime", "--options", options, "--output", Path.Combine(folder, "model.zip"));
        Assert.AreEqual(2, train.ExitCode, train.ToString());
        StringAssert.Contains(train.ToString(), "AdamBeta2");
    }
}
