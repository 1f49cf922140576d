namespace Mta.Cli.Tests;

/// <summary>Same data, options and seed in two separate processes: bit-identical predictions.</summary>
[TestClass]
public sealed class DeterminismTests
{
    [TestMethod]
    public void TwoProcessesTrainingWithTheSameSeedPredictTheSameBits()
    {
        string folder = Tool.TempFolder();
        string options = Path.Combine(folder, "options.json");
        File.WriteAllText(options, """{ "Training": { "Epochs": 3, "Seed": 11 }, "Network": { "Dropout": 0.2 } }""");
        var scored = new List<byte[]>();
        for (int run = 0; run < 2; run++)
        {
            string model = Path.Combine(folder, $"model-{run}.zip");
            var train = Tool.Run("train", "--dataset", Tool.Rotterdam, "--label", "recur", "--label", "death",
                "--ignore", "pid,rtime,dtime", "--options", options, "--output", model, "--seed", "3");
            Assert.AreEqual(0, train.ExitCode, train.ToString());
            string output = Path.Combine(folder, $"scored-{run}.csv");
            Assert.AreEqual(0, Tool.Run("score", "--model", model, "--input", Tool.Rotterdam, "--output", output, "--keep", "pid", "--attention").ExitCode);
            scored.Add(File.ReadAllBytes(output));
        }
        // Floats are written in round-trip form, so equal text is equal bits.
        CollectionAssert.AreEqual(scored[0], scored[1]);
    }
}
