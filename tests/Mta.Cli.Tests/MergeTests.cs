namespace Mta.Cli.Tests;

/// <summary>`mta merge`: shard outputs → one file in input order; a missing, repeated or foreign part is refused.</summary>
[TestClass]
public sealed class MergeTests
{
    [TestMethod]
    public void MergedShardsAreTheSingleProcessOutputByteForByte()
    {
        string folder = Tool.TempFolder();
        string whole = Score(Tool.Rotterdam, Path.Combine(folder, "whole.csv"));
        var parts = Enumerable.Range(0, 3).Select(i => Score(Tool.Rotterdam, Path.Combine(folder, $"part-{i}.csv"), "--shard", $"{i}/3")).ToArray();
        string merged = Path.Combine(folder, "merged.csv");

        var result = Tool.Run("merge", "--output", merged, parts[2], parts[0], parts[1]);

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Output, "Merged 3 shards, 2,982 rows");
        CollectionAssert.AreEqual(File.ReadAllBytes(whole), File.ReadAllBytes(merged));
    }

    [TestMethod]
    public void RowsSkippedAsBadKeepTheOrder()
    {
        string folder = Tool.TempFolder();
        string input = ProbeData.WithColumn(folder, "bad.csv", "age", (v, r) => r is 0 or 5 or 6 or 13 or 29 ? "old" : v, rows: 30);
        string whole = Score(input, Path.Combine(folder, "whole.tsv"), "--on-bad-row", "skip");
        var parts = Enumerable.Range(0, 4).Select(i => Score(input, Path.Combine(folder, $"part-{i}.tsv"), "--shard", $"{i}/4", "--on-bad-row", "skip")).ToArray();
        string merged = Path.Combine(folder, "merged.tsv");

        var result = Tool.Run(["merge", "--output", merged, .. parts]);

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        Assert.HasCount(1 + 30 - 5, File.ReadAllLines(merged));
        CollectionAssert.AreEqual(File.ReadAllBytes(whole), File.ReadAllBytes(merged));
    }

    [TestMethod]
    public void AMissingRepeatedOrForeignPartIsRefused()
    {
        string folder = Tool.TempFolder();
        var parts = Enumerable.Range(0, 3).Select(i => Score(Tool.Rotterdam, Path.Combine(folder, $"part-{i}.csv"), "--shard", $"{i}/3")).ToArray();
        string otherInput = ProbeData.WithColumn(folder, "other.csv", "age", (v, _) => v, rows: 300);
        string foreign = Score(otherInput, Path.Combine(folder, "foreign-1.csv"), "--shard", "1/3");
        string merged = Path.Combine(folder, "merged.csv");

        var cases = new[]
        {
            (new[] { parts[0], parts[2] }, "Shard(s) 1/3 missing"),
            (new[] { parts[0], parts[1], parts[1], parts[2] }, "Shard 1/3 is given twice"),
            (new[] { parts[0], foreign, parts[2] }, "not from one run"),
            (new[] { parts[0], parts[1], otherInput }, "has no manifest"),
        };
        foreach (var (given, message) in cases)
        {
            var result = Tool.Run(["merge", "--output", merged, .. given]);
            Assert.AreEqual(3, result.ExitCode, result.ToString());
            StringAssert.Contains(result.Error, message);
            Assert.IsFalse(File.Exists(merged));
        }
        var overwrite = Tool.Run("merge", "--output", parts[1], parts[0], parts[1], parts[2]);
        Assert.AreEqual(2, overwrite.ExitCode, overwrite.ToString());
        StringAssert.Contains(overwrite.Error, "never overwrites an input");
    }

    private static string Score(string input, string output, params string[] options)
    {
        var result = Tool.Run(["score", "--model", TrainedModel.Path, "--input", input, "--output", output, "--keep", "pid", .. options]);
        Assert.AreEqual(0, result.ExitCode, result.ToString());
        return output;
    }
}
