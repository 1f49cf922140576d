namespace Mta.Cli.Tests;

/// <summary>`mta score` never writes over its input: the same path, another path to it, a link, or its .partial file.</summary>
[TestClass]
public sealed class OverwriteTests
{
    [TestMethod]
    public void AnOutputThatIsTheInputIsRefusedAndTheInputKept()
    {
        string folder = Tool.TempFolder();
        string input = Path.Combine(folder, "same.csv");
        File.Copy(Tool.Rotterdam, input);
        string linked = Path.Combine(folder, "linked-dir");
        Directory.CreateSymbolicLink(linked, folder);
        string link = Path.Combine(folder, "link.csv");
        File.CreateSymbolicLink(link, input);
        string partialInput = Path.Combine(folder, "scored.csv.partial");
        File.Copy(Tool.Rotterdam, partialInput);

        var cases = new[]
        {
            (input, input),
            (input, Path.Combine(folder, "..", Path.GetFileName(folder), "same.csv")),
            (input, Path.Combine(linked, "same.csv")),
            (input, link),
            (link, input),
            (partialInput, Path.Combine(folder, "scored.csv")),
        };
        foreach (var (inputPath, outputPath) in cases)
        {
            var result = Tool.Run("score", "--model", TrainedModel.Path, "--input", inputPath, "--output", outputPath);
            Assert.AreEqual(2, result.ExitCode, $"--input {inputPath} --output {outputPath}\n{result}");
            StringAssert.Contains(result.Error, "never overwrites an input");
            StringAssert.Contains(result.Error, outputPath);
        }
        CollectionAssert.AreEqual(File.ReadAllBytes(Tool.Rotterdam), File.ReadAllBytes(input));
        CollectionAssert.AreEqual(File.ReadAllBytes(Tool.Rotterdam), File.ReadAllBytes(partialInput));
    }
}
