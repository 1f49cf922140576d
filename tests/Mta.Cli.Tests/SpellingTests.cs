using Mta.Cli.Data;

namespace Mta.Cli.Tests;

/// <summary>Common spellings in data files: Y/N and T/F labels, infinities in numeric columns.</summary>
[TestClass]
public sealed class SpellingTests
{
    [TestMethod]
    [DataRow("Y", "N")]
    [DataRow("t", "f")]
    [DataRow("YES", "no")]
    public void ABinaryLabelSpelledAsAFlagNeedsNoPositiveValue(string yes, string no)
    {
        string folder = Tool.TempFolder();
        string data = ProbeData.WithColumn(folder, "flags.csv", "death", (v, _) => v == "1" ? yes : no);

        var result = ProbeData.Train(folder, data, "death", "recur");

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Output, $"death (binary, positive = '{yes}')");
    }

    [TestMethod]
    public void InfinitiesInANumericColumnTrainAndScore()
    {
        string folder = Tool.TempFolder();
        string[] infinities = ["inf", "-inf", "+INF", "Infinity", "-infinity"];
        string data = ProbeData.WithColumn(folder, "inf.csv", "pgr", (v, r) => r % 50 == 7 ? infinities[r / 50 % infinities.Length] : v);

        var train = ProbeData.Train(folder, data, "death", "recur");

        Assert.AreEqual(0, train.ExitCode, train.ToString());
        StringAssert.Contains(train.Output, "9 numeric, 1 text", "pgr stays numeric");
        string scored = Path.Combine(folder, "scored.csv");
        var score = Tool.Run("score", "--model", Path.Combine(folder, "model.zip"), "--input", data, "--output", scored, "--keep", "pid");
        Assert.AreEqual(0, score.ExitCode, score.ToString());
        var rows = File.ReadAllLines(scored).Skip(1).ToArray();
        Assert.HasCount(File.ReadAllLines(data).Length - 1, rows);
        Assert.IsTrue(rows.All(r => !r.Contains("NaN", StringComparison.Ordinal)), "an infinite feature is replaced by the training mean, so every score is a number");
    }

    [TestMethod]
    [DataRow("inf", double.PositiveInfinity)]
    [DataRow("+Inf", double.PositiveInfinity)]
    [DataRow("-INF", double.NegativeInfinity)]
    [DataRow(" Infinity ", double.PositiveInfinity)]
    [DataRow("-infinity", double.NegativeInfinity)]
    [DataRow("1e3", 1000.0)]
    public void InfinitySpellingsParse(string text, double expected)
    {
        Assert.IsTrue(ValueParser.TryParseNumber(text, out double value), text);
        Assert.AreEqual(expected, value);
    }

    [TestMethod]
    public void InfinityIsNotAPrefix()
    {
        Assert.IsFalse(ValueParser.TryParseNumber("info", out _));
        Assert.IsFalse(ValueParser.TryParseNumber("--inf", out _));
    }

    [TestMethod]
    [DataRow("Y", true)]
    [DataRow("n", false)]
    [DataRow("T", true)]
    [DataRow("f", false)]
    [DataRow("Yes", true)]
    [DataRow("FALSE", false)]
    public void FlagSpellingsAreBooleans(string text, bool expected)
    {
        Assert.IsTrue(ValueParser.TryParseBoolean(text, out bool value), text);
        Assert.AreEqual(expected, value);
    }
}
