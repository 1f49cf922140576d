namespace Mta.Cli.Tests;

/// <summary>One small model trained by `mta train` on the bundled Rotterdam data, shared by the tests.</summary>
internal static class TrainedModel
{
    private static readonly Lazy<(string Path, Tool.Result Train)> s_model = new(() =>
    {
        string folder = Tool.TempFolder();
        string options = System.IO.Path.Combine(folder, "options.json");
        File.WriteAllText(options, """{ "Training": { "Epochs": 4, "Seed": 7 }, "Network": { "ExpertCount": 3, "ExpertHiddenSizes": [16] } }""");
        string model = System.IO.Path.Combine(folder, "model.zip");
        var result = Tool.Run("train", "--dataset", Tool.Rotterdam, "--label", "recur", "--label", "death:binary=1",
            "--ignore", "pid,rtime,dtime", "--options", options, "--output", model);
        return (model, result);
    });

    public static string Path
    {
        get
        {
            var (path, train) = s_model.Value;
            Assert.AreEqual(0, train.ExitCode, train.ToString());
            return path;
        }
    }

    public static Tool.Result Train => s_model.Value.Train;
}
