namespace Mta.Cli.Tests;

/// <summary>An --options file of the flat NetworkOptions form is rejected with the option's new place.</summary>
[TestClass]
public sealed class MovedOptionsTests
{
    [TestMethod]
    public void AFlatNameIsRejectedNamingItsGroup()
    {
        string folder = Tool.TempFolder();
        string options = Path.Combine(folder, "options.json");
        File.WriteAllText(options, """{ "Network": { "Architecture": "SetAttention", "ItemWidth": 6, "SelectedExperts": 2 } }""");

        var train = Tool.Run("train", "--dataset", Tool.Rotterdam, "--label", "recur", "--options", options, "--output", Path.Combine(folder, "m.zip"));

        Assert.AreEqual(2, train.ExitCode, train.ToString());
        StringAssert.Contains(train.Error, "Network.ItemWidth moved to Network.Set.ItemWidth");
        StringAssert.Contains(train.Error, "Network.SelectedExperts moved to Network.DSelectK.SelectedExperts");
    }

    [TestMethod]
    public void TheGroupedFormIsRead()
    {
        string json = Path.Combine(Tool.TempFolder(), "options.json");
        File.WriteAllText(json, """{ "Network": { "Architecture": "Ple", "Ple": { "TaskExpertCount": 2, "ExtractionLevels": 3 }, "Image": { "ConvChannels": [8] } } }""");

        var network = Commands.TrainCommand.OptionsFile.Read(json).Network!;

        Assert.AreEqual(2, network.Ple.TaskExpertCount);
        Assert.AreEqual(3, network.Ple.ExtractionLevels);
        Assert.AreEqual(8, network.Image.ConvChannels[0]);
        Assert.AreEqual(2, network.DSelectK.SelectedExperts);   // a group left out keeps its defaults
    }

    [TestMethod]
    public void ABadGroupedValueNamesTheGroup()
    {
        string json = Path.Combine(Tool.TempFolder(), "options.json");
        File.WriteAllText(json, """{ "Network": { "Ple": { "ExtractionLevels": 1 } } }""");

        var e = Assert.ThrowsExactly<CliException>(() => Commands.TrainCommand.OptionsFile.Read(json));

        StringAssert.Contains(e.Message, "Ple.ExtractionLevels");
    }
}
