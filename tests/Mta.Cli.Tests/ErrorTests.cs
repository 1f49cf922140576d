namespace Mta.Cli.Tests;

/// <summary>Wrong command lines and wrong files: a one-line message naming the option, file or column, and the documented exit code.</summary>
[TestClass]
public sealed class ErrorTests
{
    [TestMethod]
    public void AMalformedShardIsAUsageError()
    {
        var result = Tool.Run("score", "--model", TrainedModel.Path, "--input", Tool.Rotterdam, "--output", Path.Combine(Tool.TempFolder(), "x.csv"), "--shard", "3/3");
        Assert.AreEqual(2, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Error, "--shard '3/3'");
    }

    [TestMethod]
    public void AnUnknownOptionIsAUsageError()
    {
        var result = Tool.Run("score", "--modle", "m.zip");
        Assert.AreEqual(2, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Error, "--modle");
    }

    [TestMethod]
    public void AMissingModelFileIsNamed()
    {
        string missing = Path.Combine(Tool.TempFolder(), "nope.zip");
        var result = Tool.Run("inspect", "--model", missing);
        Assert.AreEqual(4, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Error, missing);
    }

    [TestMethod]
    public void AFileThatIsNotAModelIsNamed()
    {
        string path = Path.Combine(Tool.TempFolder(), "notes.zip");
        File.WriteAllText(path, "not a model");
        var result = Tool.Run("inspect", "--model", path);
        Assert.AreEqual(4, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Error, path);
    }

    [TestMethod]
    public void AnInputWithoutAFeatureColumnIsNamed()
    {
        string folder = Tool.TempFolder();
        string input = Path.Combine(folder, "no-age.csv");
        File.WriteAllLines(input, File.ReadAllLines(Tool.Rotterdam).Take(5).Select(l => string.Join(',', l.Split(',').Where((_, i) => i != 2))));
        var result = Tool.Run("score", "--model", TrainedModel.Path, "--input", input, "--output", Path.Combine(folder, "x.csv"));
        Assert.AreEqual(3, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Error, "'age'");
        StringAssert.Contains(result.Error, input);
    }

    [TestMethod]
    public void AnUnknownLabelColumnIsNamedBeforeTraining()
    {
        var result = Tool.Run("train", "--dataset", Tool.Rotterdam, "--label", "recurrence", "--output", Path.Combine(Tool.TempFolder(), "m.zip"));
        Assert.AreEqual(3, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Error, "'recurrence'");
    }

    [TestMethod]
    public void ABinaryTextLabelNeedsItsPositiveValue()
    {
        string folder = Tool.TempFolder();
        string input = Path.Combine(folder, "text-label.csv");
        File.WriteAllLines(input, File.ReadAllLines(Tool.Rotterdam).Select((l, i) => i == 0 ? l : l.EndsWith(",1", StringComparison.Ordinal) ? l[..^2] + ",dead" : l[..^2] + ",alive"));
        var result = Tool.Run("train", "--dataset", input, "--label", "death", "--output", Path.Combine(folder, "m.zip"));
        Assert.AreEqual(2, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Error, "--label death:binary=alive");
    }

    [TestMethod]
    public void CudaWithoutTheGpuBuildSaysWhichPackageToUse()
    {
        var result = Tool.Run("score", "--model", TrainedModel.Path, "--input", Tool.Rotterdam, "--output", Path.Combine(Tool.TempFolder(), "x.csv"), "--device", "cuda:0");
        Assert.AreEqual(5, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Error, "Microsoft.ML.OnnxRuntime.Gpu");
    }
}
