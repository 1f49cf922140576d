using System.Text.Json;
using Parquet;

namespace Mta.Cli.Tests;

/// <summary>The batch scoring job: sharding, resume after a kill, Parquet in and out, bad rows.</summary>
[TestClass]
public sealed class ScoringJobTests
{
    [TestMethod]
    public void ShardsCoverTheFileExactlyOnce()
    {
        string folder = Tool.TempFolder();
        string whole = Path.Combine(folder, "whole.csv");
        Assert.AreEqual(0, Tool.Run("score", "--model", TrainedModel.Path, "--input", Tool.Rotterdam, "--output", whole, "--keep", "pid").ExitCode);
        var shards = new List<string[]>();
        for (int i = 0; i < 3; i++)
        {
            string part = Path.Combine(folder, $"part-{i}.csv");
            var result = Tool.Run("score", "--model", TrainedModel.Path, "--input", Tool.Rotterdam, "--output", part, "--keep", "pid", "--shard", $"{i}/3");
            Assert.AreEqual(0, result.ExitCode, result.ToString());
            shards.Add(File.ReadAllLines(part).Skip(1).ToArray());
        }
        var rows = File.ReadAllLines(whole).Skip(1).ToArray();
        for (int i = 0; i < 3; i++)
            CollectionAssert.AreEqual(rows.Where((_, r) => r % 3 == i).ToArray(), shards[i], $"shard {i} holds the rows whose index % 3 == {i}, in order");
        CollectionAssert.AreEquivalent(rows, shards.SelectMany(s => s).ToArray());
    }

    [TestMethod]
    public void AKilledRunResumesWithNoRowLostOrDuplicated()
    {
        string folder = Tool.TempFolder();
        string input = Path.Combine(folder, "many.csv");
        Replicate(Tool.Rotterdam, input, rows: 200_000);
        string expected = Path.Combine(folder, "expected.csv");
        Assert.AreEqual(0, Tool.Run("score", "--model", TrainedModel.Path, "--input", input, "--output", expected, "--keep", "pid", "--batch-size", "512").ExitCode);

        string output = Path.Combine(folder, "scored.csv");
        string checkpoint = output + ".partial.json";
        using (var process = Tool.Start("score", "--model", TrainedModel.Path, "--input", input, "--output", output, "--keep", "pid", "--batch-size", "512"))
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (LastRowIndex(checkpoint) < 20_000 && !process.HasExited && DateTime.UtcNow < deadline)
                Thread.Sleep(10);
            Assert.IsFalse(process.HasExited, "the run must still be going when it is killed");
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        Assert.IsFalse(File.Exists(output), "an interrupted run leaves only the partial file");
        long doneBefore = LastRowIndex(checkpoint);
        Assert.IsLessThan(199_999L, doneBefore, "killed before the end");

        var resumed = Tool.Run("score", "--model", TrainedModel.Path, "--input", input, "--output", output, "--keep", "pid", "--batch-size", "512", "--resume");

        Assert.AreEqual(0, resumed.ExitCode, resumed.ToString());
        StringAssert.Contains(resumed.Output, "Resuming after input row");
        CollectionAssert.AreEqual(File.ReadAllBytes(expected), File.ReadAllBytes(output), "byte for byte the uninterrupted output");
        Assert.IsFalse(File.Exists(checkpoint));
    }

    [TestMethod]
    public async Task ParquetInAndOutGiveTheCsvPredictions()
    {
        string folder = Tool.TempFolder();
        string csvOut = Path.Combine(folder, "scored.csv");
        Assert.AreEqual(0, Tool.Run("score", "--model", TrainedModel.Path, "--input", Tool.Rotterdam, "--output", csvOut, "--keep", "pid").ExitCode);
        string parquetIn = Path.Combine(folder, "rotterdam.parquet");
        await ParquetFiles.WriteFromCsv(Tool.Rotterdam, parquetIn);
        string parquetOut = Path.Combine(folder, "scored.parquet");

        var result = Tool.Run("score", "--model", TrainedModel.Path, "--input", parquetIn, "--output", parquetOut, "--keep", "pid", "--parquet-row-group", "1000");

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        var expected = File.ReadAllLines(csvOut).Skip(1).Select(l => l.Split(',')).ToArray();
        var (pids, probabilities) = await ParquetFiles.ReadColumns(parquetOut, "pid", "recur.Probability");
        Assert.HasCount(expected.Length, pids);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.AreEqual(expected[i][0], (string)pids[i]!, $"row {i}");
            Assert.AreEqual(float.Parse(expected[i][2], System.Globalization.CultureInfo.InvariantCulture), (float)probabilities[i]!, $"row {i}");
        }
    }

    [TestMethod]
    public async Task TrainAndEvaluateReadParquetToo()
    {
        string folder = Tool.TempFolder();
        string parquet = Path.Combine(folder, "rotterdam.parquet");
        await ParquetFiles.WriteFromCsv(Tool.Rotterdam, parquet);
        string options = Path.Combine(folder, "options.json");
        File.WriteAllText(options, """{ "Training": { "Epochs": 2 } }""");
        string model = Path.Combine(folder, "model.zip");

        var train = Tool.Run("train", "--dataset", parquet, "--label", "recur", "--label", "death", "--ignore", "pid,rtime,dtime", "--options", options, "--output", model);

        Assert.AreEqual(0, train.ExitCode, train.ToString());
        StringAssert.Contains(train.Output, "9 numeric, 1 text", "the same column types as from the CSV");
        var evaluate = Tool.Run("evaluate", "--model", model, "--dataset", parquet);
        Assert.AreEqual(0, evaluate.ExitCode, evaluate.ToString());
        StringAssert.Contains(evaluate.Output, "AUC");
    }

    [TestMethod]
    public void BadRowsFailWithTheirLineAndColumnOrAreSkippedAndCounted()
    {
        string folder = Tool.TempFolder();
        var lines = File.ReadAllLines(Tool.Rotterdam).Take(21).ToArray();
        lines[4] = lines[4].Replace(",74,", ",seventy,", StringComparison.Ordinal).Replace(",79,", ",seventy,", StringComparison.Ordinal);
        var fields = lines[4].Split(',');
        fields[2] = "seventy";
        lines[4] = string.Join(',', fields);
        lines[8] = string.Join(',', lines[8].Split(',').Take(10));
        string input = Path.Combine(folder, "bad.csv");
        File.WriteAllLines(input, lines);
        string output = Path.Combine(folder, "scored.csv");

        var failed = Tool.Run("score", "--model", TrainedModel.Path, "--input", input, "--output", output);
        Assert.AreEqual(3, failed.ExitCode, failed.ToString());
        StringAssert.Contains(failed.Error, "line 5");
        StringAssert.Contains(failed.Error, "'age'");
        StringAssert.Contains(failed.Error, "'seventy' is not a number");
        Assert.IsFalse(File.Exists(output));

        var skipped = Tool.Run("score", "--model", TrainedModel.Path, "--input", input, "--output", output, "--on-bad-row", "skip");
        Assert.AreEqual(0, skipped.ExitCode, skipped.ToString());
        StringAssert.Contains(skipped.Output, "2 bad row(s) skipped");
        StringAssert.Contains(skipped.Output, "line 9");
        Assert.HasCount(20 - 2 + 1, File.ReadAllLines(output));
    }

    private static long LastRowIndex(string checkpoint)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(checkpoint));
            return document.RootElement.GetProperty("LastRowIndex").GetInt64();
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return -1; // not written yet, or being replaced
        }
    }

    /// <summary>The data rows of a CSV repeated up to <paramref name="rows"/>, with a unique first column.</summary>
    private static void Replicate(string source, string target, int rows)
    {
        var lines = File.ReadAllLines(source);
        using var writer = new StreamWriter(target);
        writer.WriteLine(lines[0]);
        for (int i = 0; i < rows; i++)
        {
            var line = lines[1 + i % (lines.Length - 1)];
            writer.WriteLine($"{i + 1}{line[line.IndexOf(',', StringComparison.Ordinal)..]}");
        }
    }
}
