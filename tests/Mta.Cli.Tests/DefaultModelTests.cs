using System.Globalization;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using Mta.Cli.Models;
using Mta.MLNet;
using Mta.Models.Options;
using Mta.Models.Tasks;

namespace Mta.Cli.Tests;

/// <summary>
/// `mta train` with no --options fits the library's default model: the pipeline one writes with ML.NET for the file
/// (text one-hot encoded in place, the features concatenated in file order, classes keyed by MapValueToKey on the
/// training rows, the rows whose index % 5 != 4) and <c>MultiTask().Attention</c> with default options and seed 42,
/// as the quality benchmark trains it. A model whose vector was concatenated in another order (files written by
/// earlier versions: numeric, then text) still scores as it was trained.
/// </summary>
[TestClass]
public sealed class DefaultModelTests
{
    private static readonly string[] s_classes = ["zeta", "alpha", "mid"];

    /// <summary>
    /// 300 rows: x1, a text column, x2, then a multiclass, a regression and a binary label. Numbers are multiples of
    /// 1/8, exact in float and double, so the tool's parser and ML.NET's TextLoader read the same bits. The first rows'
    /// classes make the three orders differ: sorted (alpha, mid, zeta), in the file (zeta, mid, alpha) and in the
    /// training rows, where row 4 is held out (zeta, alpha, mid).
    /// </summary>
    private static string WriteTable(string folder)
    {
        var random = new Random(5);
        string[] colors = ["red", "green", "blue"];
        string[] first = ["zeta", "zeta", "zeta", "zeta", "mid", "alpha", "mid"];
        var lines = new List<string> { "x1,color,x2,kind,y,flag" };
        for (int i = 0; i < 300; i++)
        {
            double x1 = random.Next(-32, 33) / 8.0, x2 = random.Next(-32, 33) / 8.0;
            string color = colors[random.Next(colors.Length)];
            string kind = i < first.Length ? first[i] : x2 + random.Next(-4, 5) / 8.0 < -1 ? "alpha" : x2 < 1 ? "mid" : "zeta";
            double y = 2 * x1 - x2 + (color == "red" ? 1 : 0) + random.Next(-4, 5) / 8.0;
            string flag = x1 + (color == "blue" ? 0.5 : 0) + random.Next(-4, 5) / 8.0 > 0 ? "yes" : "no";
            lines.Add(string.Join(',', N(x1), color, N(x2), kind, N(y), flag));
        }
        string path = Path.Combine(folder, "table.csv");
        File.WriteAllLines(path, lines);
        return path;

        static string N(double v) => v.ToString("R", CultureInfo.InvariantCulture);
    }

    private static IDataView Load(MLContext ml, string path) => ml.Data.CreateTextLoader(
    [
        new TextLoader.Column("x1", DataKind.Single, 0), new TextLoader.Column("color", DataKind.String, 1),
        new TextLoader.Column("x2", DataKind.Single, 2), new TextLoader.Column("kind", DataKind.String, 3),
        new TextLoader.Column("y", DataKind.Single, 4), new TextLoader.Column("flag", DataKind.String, 5),
    ], separatorChar: ',', hasHeader: true).Load(path);

    private static readonly TaskColumn[] s_tasks = [new("kind", TaskKind.Multiclass), new("y", TaskKind.Regression), new("flag", TaskKind.Binary)];

    /// <summary>The labels as the benchmark prepares them: classes keyed on the training rows, the binary label as Boolean.</summary>
    private static EstimatorChain<ValueMappingTransformer> LabelSteps(MLContext ml) => ml.Transforms.Conversion.MapValueToKey("kind")
        .Append(ml.Transforms.Conversion.MapValue("flag", [new KeyValuePair<string, bool>("yes", true), new KeyValuePair<string, bool>("no", false)], "flag"));

    [TestMethod]
    public void TrainWithDefaultsPredictsAsTheLibrarysDefaultModel()
    {
        string folder = Tool.TempFolder();
        string table = WriteTable(folder);
        string model = Path.Combine(folder, "model.zip");
        var train = Tool.Run(TimeSpan.FromMinutes(10), "train", "--dataset", table, "--label", "kind", "--label", "y", "--label", "flag", "--output", model);
        Assert.AreEqual(0, train.ExitCode, train.ToString());
        StringAssert.Contains(train.Output, "240 rows of table.csv: those whose index % 5 != 4");

        var ml = new MLContext(seed: 1);
        var data = Load(ml, table);
        var (trainRows, _) = ml.MultiTask().SplitByRowIndex(data);
        var pipeline = LabelSteps(ml)
            .Append(ml.Transforms.Categorical.OneHotEncoding("color"))
            .Append(ml.Transforms.Concatenate("Features", "x1", "color", "x2"))
            .Append(ml.MultiTask().Attention(new MultiTaskOptions { Tasks = [.. s_tasks], Training = new TrainingOptions { Seed = 42 } }));
        var expected = pipeline.Fit(trainRows);
        try
        {
            AssertSamePredictions(expected.Transform(data), ScoreWithTool(folder, model, table));
        }
        finally
        {
            expected.LastTransformer.Dispose();
        }

        // What made them equal, as the model file records it.
        var inspect = Tool.Run("inspect", "--model", model, "--json");
        Assert.AreEqual(0, inspect.ExitCode, inspect.ToString());
        using (var document = JsonDocument.Parse(inspect.Output))
        {
            var root = document.RootElement;
            CollectionAssert.AreEqual(new[] { "x1", "color", "x2" }, root.GetProperty("featureColumns").EnumerateArray().Select(c => c.GetString()).ToArray(), "file order");
            var kind = root.GetProperty("tasks").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "kind");
            CollectionAssert.AreEqual(s_classes, kind.GetProperty("classes").EnumerateArray().Select(c => c.GetString()).ToArray(), "the training rows' order");
            Assert.AreEqual(TrainingOptions.DefaultSeed, root.GetProperty("training").GetProperty("Seed").GetInt32());
        }
    }

    [TestMethod]
    public void AModelConcatenatedNumericThenTextScoresAsItWasTrained()
    {
        string folder = Tool.TempFolder();
        string table = WriteTable(folder);
        var ml = new MLContext(seed: 1);
        var data = Load(ml, table);
        var (trainRows, _) = ml.MultiTask().SplitByRowIndex(data);
        // What mta train saved before it concatenated in file order; the tool's info then had no feature order.
        var model = ml.Transforms.Categorical.OneHotEncoding("color")
            .Append(ml.Transforms.Concatenate("Features", "x1", "x2", "color"))
            .Append(ml.MultiTask().Attention(new MultiTaskOptions
            {
                Tasks = [.. s_tasks],
                Training = new TrainingOptions { Epochs = 3, Seed = 7 },
                Network = new NetworkOptions { ExpertCount = 2, ExpertHiddenSizes = [8] },
            })).Fit(LabelSteps(ml).Fit(trainRows).Transform(trainRows));
        string path = Path.Combine(folder, "earlier.zip");
        try
        {
            var inputs = new DataViewSchema.Builder();
            inputs.AddColumn("x1", NumberDataViewType.Single);
            inputs.AddColumn("x2", NumberDataViewType.Single);
            inputs.AddColumn("color", TextDataViewType.Instance);
            var info = new CliModelInfo("table.csv", DateTimeOffset.UtcNow,
                [new("kind", TaskKind.Multiclass, null, s_classes), new("y", TaskKind.Regression, null, null), new("flag", TaskKind.Binary, "yes", null)],
                ["x1", "x2"], ["color"], [], 240, 60);
            ModelFile.Save(ml, model, inputs.ToSchema(), info, path);

            var inspect = Tool.Run("inspect", "--model", path, "--json");
            Assert.AreEqual(0, inspect.ExitCode, inspect.ToString());
            using (var document = JsonDocument.Parse(inspect.Output))
                CollectionAssert.AreEqual(new[] { "x1", "x2", "color" }, document.RootElement.GetProperty("featureColumns").EnumerateArray().Select(c => c.GetString()).ToArray());
            AssertSamePredictions(model.Transform(data), ScoreWithTool(folder, path, table));
        }
        finally
        {
            model.LastTransformer.Dispose();
        }
    }

    /// <summary>`mta score` on the whole table: one row of values per row, by output column name.</summary>
    private static List<Dictionary<string, string>> ScoreWithTool(string folder, string model, string table)
    {
        string scored = Path.Combine(folder, Path.GetFileNameWithoutExtension(model) + "-scored.csv");
        var score = Tool.Run("score", "--model", model, "--input", table, "--output", scored);
        Assert.AreEqual(0, score.ExitCode, score.ToString());
        var lines = File.ReadAllLines(scored);
        var header = lines[0].Split(',');
        return lines.Skip(1).Select(l => header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second)).ToList();
    }

    private static void AssertSamePredictions(IDataView expected, List<Dictionary<string, string>> tool)
    {
        var slotNames = default(VBuffer<ReadOnlyMemory<char>>);
        expected.Schema["kind.Score"].GetSlotNames(ref slotNames);
        var classes = slotNames.DenseValues().Select(c => c.ToString()).ToArray();
        var kind = expected.GetColumn<VBuffer<float>>("kind.Score").Select(v => v.DenseValues().ToArray()).ToArray();
        var y = expected.GetColumn<float>("y.Score").ToArray();
        var flag = expected.GetColumn<float>("flag.Probability").ToArray();
        Assert.HasCount(tool.Count, y);
        double worst = 0;
        for (int row = 0; row < y.Length; row++)
        {
            for (int c = 0; c < classes.Length; c++)
                worst = Math.Max(worst, Difference(kind[row][c], tool[row][$"kind.Score.{classes[c]}"]));
            worst = Math.Max(worst, Difference(y[row], tool[row]["y.Score"]));
            worst = Math.Max(worst, Difference(flag[row], tool[row]["flag.Probability"]));
        }
        Assert.IsLessThanOrEqualTo(1e-6, worst, $"largest difference {worst:G3}, relative to the value where above 1");
    }

    private static double Difference(float expected, string actual) =>
        Math.Abs(expected - double.Parse(actual, CultureInfo.InvariantCulture)) / Math.Max(1, Math.Abs(expected));
}
