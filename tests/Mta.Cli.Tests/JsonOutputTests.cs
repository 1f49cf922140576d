using System.Text.Json;

namespace Mta.Cli.Tests;

/// <summary>`evaluate --json` and `inspect --json`: one JSON document on stdout, parsed here.</summary>
[TestClass]
public sealed class JsonOutputTests
{
    [TestMethod]
    public void EvaluateJsonHasEveryTasksMetrics()
    {
        var result = Tool.Run("evaluate", "--model", TrainedModel.Path, "--dataset", Tool.Rotterdam, "--json");

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        using var document = JsonDocument.Parse(result.Output);
        var tasks = document.RootElement.GetProperty("tasks").EnumerateArray().ToArray();
        CollectionAssert.AreEqual(new[] { "recur", "death" }, tasks.Select(t => t.GetProperty("task").GetString()).ToArray());
        foreach (var task in tasks)
        {
            Assert.AreEqual("Binary", task.GetProperty("kind").GetString());
            double auc = task.GetProperty("metrics").GetProperty("AUC").GetDouble();
            Assert.IsTrue(auc is > 0.5 and <= 1, $"AUC {auc}");
        }
        Assert.AreEqual(0, document.RootElement.GetProperty("badRowsSkipped").GetInt64());
    }

    [TestMethod]
    public void InspectJsonDescribesTasksInputsAndOptions()
    {
        var result = Tool.Run("inspect", "--model", TrainedModel.Path, "--json");

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        using var document = JsonDocument.Parse(result.Output);
        var root = document.RootElement;
        var tasks = root.GetProperty("tasks").EnumerateArray().ToArray();
        Assert.AreEqual("1", tasks.Single(t => t.GetProperty("name").GetString() == "death").GetProperty("positive").GetString());
        var inputs = root.GetProperty("inputs").EnumerateArray().ToDictionary(i => i.GetProperty("column").GetString()!, i => i.GetProperty("role").GetString());
        Assert.AreEqual("feature (numeric)", inputs["age"]);
        Assert.AreEqual("feature (text, one-hot)", inputs["size"]);
        Assert.IsFalse(inputs.ContainsKey("pid"), "an ignored column is no input");
        Assert.AreEqual(3, root.GetProperty("network").GetProperty("ExpertCount").GetInt32(), "the trained model's network options");
        Assert.AreEqual(4, root.GetProperty("history").GetProperty("epochs").GetInt32());
        Assert.IsGreaterThan(0L, root.GetProperty("batchedOnnxBytes").GetInt64());
    }
}
