using System.Text.Json;

namespace Mta.Cli.Tests;

/// <summary>`train --options` picks an architecture by name, and the saved model carries it.</summary>
[TestClass]
public sealed class ArchitectureOptionTests
{
    [TestMethod]
    [DataRow("DSelectK")]
    [DataRow("CrossStitch")]
    public void TrainFitsTheArchitectureNamedInTheOptions(string architecture)
    {
        string folder = Tool.TempFolder();
        string options = Path.Combine(folder, "options.json");
        File.WriteAllText(options, $$"""{ "Network": { "Architecture": "{{architecture}}", "ExpertCount": 2, "ExpertHiddenSizes": [8] }, "Training": { "Epochs": 2, "Seed": 3 } }""");
        string model = Path.Combine(folder, "model.zip");

        var train = Tool.Run("train", "--dataset", Tool.Rotterdam, "--label", "recur", "--label", "death", "--ignore", "pid,rtime,dtime", "--options", options, "--output", model);
        Assert.AreEqual(0, train.ExitCode, train.ToString());

        var inspect = Tool.Run("inspect", "--model", model, "--json");
        Assert.AreEqual(0, inspect.ExitCode, inspect.ToString());
        using var document = JsonDocument.Parse(inspect.Output);
        Assert.AreEqual(architecture, document.RootElement.GetProperty("network").GetProperty("Architecture").GetString());
    }
}
