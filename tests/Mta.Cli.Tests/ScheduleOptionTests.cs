namespace Mta.Cli.Tests;

/// <summary>`mta train --options` reads the learning-rate schedule and Adam's β₂, and names a bad value.</summary>
[TestClass]
public sealed class ScheduleOptionTests
{
    [TestMethod]
    public void ACosineScheduleWithBeta2TrainsFromTheOptionsFile()
    {
        string folder = Tool.TempFolder();
        string options = Path.Combine(folder, "options.json");
        File.WriteAllText(options, """{ "Training": { "Epochs": 3, "LearningRateSchedule": "Cosine", "AdamBeta2": 0.95 } }""");
        var train = Tool.Run("train", "--dataset", Tool.Rotterdam, "--label", "recur", "--label", "death",
            "--ignore", "pid,rtime,dtime", "--options", options, "--output", Path.Combine(folder, "model.zip"));
        Assert.AreEqual(0, train.ExitCode, train.ToString());
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
