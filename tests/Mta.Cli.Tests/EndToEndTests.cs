using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Mta.MLNet;

namespace Mta.Cli.Tests;

/// <summary>train → inspect → score → evaluate on the bundled Rotterdam data, each as a separate process.</summary>
[TestClass]
public sealed class EndToEndTests
{
    [TestMethod]
    public void TrainPrintsValidationMetricsAndWritesOnlyTheModel()
    {
        var train = TrainedModel.Train;
        Assert.AreEqual(0, train.ExitCode, train.ToString());
        StringAssert.Contains(train.Output, "recur (binary, positive = '1')");
        StringAssert.Contains(train.Output, "AUC");
        var folder = Path.GetDirectoryName(TrainedModel.Path)!;
        CollectionAssert.AreEquivalent(new[] { "model.zip", "options.json" }, Directory.GetFiles(folder).Select(Path.GetFileName).ToArray(),
            "no temporary file is left behind");
        // The file is an ordinary ML.NET model.
        var plain = new MLContext().Model.Load(TrainedModel.Path, out var schema);
        Assert.IsNotNull(schema.GetColumnOrNull("age"));
    }

    [TestMethod]
    public void InspectDescribesTasksInputsArchitectureAndOnnx()
    {
        var result = Tool.Run("inspect", "--model", TrainedModel.Path);
        Assert.AreEqual(0, result.ExitCode, result.ToString());
        foreach (var expected in new[] { "recur", "death", "positive = 1", "feature (text, one-hot)", "ExpertCount=3", "Epochs=4", "opset 17", "single-row ONNX", "rotterdam.csv" })
            StringAssert.Contains(result.Output, expected);
    }

    [TestMethod]
    public void ScoreWritesEveryRowWithTheTransformersPredictions()
    {
        string folder = Tool.TempFolder();
        string output = Path.Combine(folder, "scored.csv");
        var result = Tool.Run("score", "--model", TrainedModel.Path, "--input", Tool.Rotterdam, "--output", output, "--keep", "pid", "--batch-size", "500");
        Assert.AreEqual(0, result.ExitCode, result.ToString());
        var lines = File.ReadAllLines(output);
        Assert.AreEqual("pid,recur.Score,recur.Probability,recur.PredictedLabel,death.Score,death.Probability,death.PredictedLabel", lines[0]);
        Assert.HasCount(2982 + 1, lines);

        // The same model in process, over ML.NET's own text loader: the same numbers.
        var ml = new MLContext();
        var model = ml.MultiTask().Load(TrainedModel.Path, out var schema);
        var header = File.ReadLines(Tool.Rotterdam).First().Split(',').Select(h => h.Trim('"')).ToList();
        var columns = schema.Select(c => new TextLoader.Column(c.Name, c.Type == NumberDataViewType.Single ? DataKind.Single : DataKind.String, header.IndexOf(c.Name))).ToArray();
        var scored = model.Transform(ml.Data.CreateTextLoader(columns, separatorChar: ',', hasHeader: true, allowQuoting: true).Load(Tool.Rotterdam));
        var probability = scored.GetColumn<float>("death.Probability").ToArray();
        var predicted = scored.GetColumn<bool>("recur.PredictedLabel").ToArray();
        for (int i = 0; i < probability.Length; i++)
        {
            var fields = lines[i + 1].Split(',');
            Assert.AreEqual(probability[i], float.Parse(fields[5], CultureInfo.InvariantCulture), 1e-6, $"row {i}");
            Assert.AreEqual(predicted[i], bool.Parse(fields[3]), $"row {i}");
        }
    }

    [TestMethod]
    public void EvaluatePrintsEveryTasksMetrics()
    {
        var result = Tool.Run("evaluate", "--model", TrainedModel.Path, "--dataset", Tool.Rotterdam);
        Assert.AreEqual(0, result.ExitCode, result.ToString());
        var auc = result.Output.Split('\n').Where(l => l.Contains("AUC", StringComparison.Ordinal))
            .Select(l => double.Parse(l.Split('│', StringSplitOptions.RemoveEmptyEntries)[^1].Trim(), CultureInfo.InvariantCulture)).ToArray();
        Assert.HasCount(2, auc);
        Assert.IsTrue(auc.All(a => a > 0.6), $"both tasks beat chance clearly: {string.Join(", ", auc)}");
    }

    [TestMethod]
    public void ExperimentRunsTrialsWithinItsLimitsAndSavesTheBest()
    {
        string folder = Tool.TempFolder();
        string options = Path.Combine(folder, "options.json");
        File.WriteAllText(options, """{ "Training": { "Epochs": 3 } }""");
        string model = Path.Combine(folder, "best.zip");
        var result = Tool.Run("experiment", "--dataset", Tool.Rotterdam, "--label", "recur", "--label", "death", "--ignore", "pid,rtime,dtime",
            "--time", "60", "--max-trials", "3", "--tuner", "random", "--options", options, "--output", model);
        Assert.AreEqual(0, result.ExitCode, result.ToString());
        var tableRows = result.Output.Split('\n').Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^│\s+\d+ │")).ToArray();
        Assert.HasCount(3, tableRows, "one table row per trial\n" + result.Output);
        StringAssert.Matches(result.Output, new System.Text.RegularExpressions.Regex(@"│ trial │ architecture +│ experts │"));
        Assert.HasCount(3, result.Output.Split('\n').Where(l => l.StartsWith("[experiment] trial ", StringComparison.Ordinal)).ToArray(), "a plain progress line per trial when redirected");
        StringAssert.Contains(result.Output, "Best: trial");
        var inspect = Tool.Run("inspect", "--model", model);
        Assert.AreEqual(0, inspect.ExitCode, inspect.ToString());
    }
}
