namespace Mta.Cli.Tests;

/// <summary>Errors the library raises for bad input are the user's: one line, exit 3, a stack trace only with --verbose.</summary>
[TestClass]
public sealed class UserErrorTests
{
    [TestMethod]
    public void ABinaryLabelWithOneClassInTrainingIsOneLineExit3()
    {
        string folder = Tool.TempFolder();
        string data = ProbeData.WithColumn(folder, "one-class.csv", "death", (_, _) => "1");

        var result = ProbeData.Train(folder, data, "death:binary=1", "recur");

        Assert.AreEqual(3, result.ExitCode, result.ToString());
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.HasCount(1, lines, result.ToString());
        StringAssert.StartsWith(lines[0], "error: ");
        StringAssert.Contains(lines[0], "'death'");
        Assert.DoesNotContain("(Parameter", lines[0]);
    }

    [TestMethod]
    public void VerboseAddsTheStackTrace()
    {
        string folder = Tool.TempFolder();
        string data = ProbeData.WithColumn(folder, "one-class.csv", "death", (_, _) => "1");

        var result = ProbeData.Train(folder, data, "death:binary=1", "recur", "--verbose");

        Assert.AreEqual(3, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Error, "   at ");
    }

    [TestMethod]
    public void WrongChoicesFailAtParseTimeAndHelpListsThem()
    {
        string folder = Tool.TempFolder();
        var cases = new[]
        {
            (new[] { "score", "--model", "m.zip", "--input", "i.csv", "--output", "o.csv", "--on-bad-row", "maybe" }, "maybe"),
            (new[] { "score", "--model", "m.zip", "--input", "i.csv", "--output", "o.csv", "--device", "gpu" }, "--device"),
            (new[] { "experiment", "--dataset", "d.csv", "--label", "x", "--output", Path.Combine(folder, "m.zip"), "--tuner", "grid" }, "grid"),
        };
        foreach (var (args, named) in cases)
        {
            var result = Tool.Run(args);
            Assert.AreEqual(2, result.ExitCode, result.ToString());
            StringAssert.Contains(result.Error, named);
        }
        StringAssert.Contains(Tool.Run("score", "--help").Output, "<fail|skip>");
        StringAssert.Contains(Tool.Run("score", "--help").Output, "<cpu|cuda|cuda:N>");
        StringAssert.Contains(Tool.Run("experiment", "--help").Output, "<halving|random>");
    }
}
