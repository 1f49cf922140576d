using Microsoft.ML;
using Microsoft.ML.Data;
using Mta.Models.Training;

namespace Mta.MLNet.Tests;

/// <summary>Missing labels through the ML.NET path: NaN (regression, numeric binary) and key 0 (multiclass).</summary>
[TestClass]
public sealed class MissingLabelsTests
{
    private sealed class Row
    {
        [VectorType(3)] public float[] Features { get; set; } = [];
        public float Amount { get; set; }
        public float Risky { get; set; }
        public string Grade { get; set; } = "";
    }

    private static IDataView Make(MLContext ml, int rows, int seed, bool blank)
    {
        var rng = new Random(seed);
        var list = new List<Row>();
        for (int i = 0; i < rows; i++)
        {
            var x = Enumerable.Range(0, 3).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
            double s = x[0] - x[1];
            bool hide = blank && i % 3 == 0;
            list.Add(new Row
            {
                Features = x,
                Amount = hide ? float.NaN : (float)(10 * s + x[2]),
                Risky = hide && i % 2 == 0 ? float.NaN : s > 0 ? 1 : 0,
                // An empty string is a missing value for MapValueToKey: key 0.
                Grade = hide ? "" : s > 0.3 ? "high" : "low",
            });
        }
        return ml.Data.LoadFromEnumerable(list);
    }

    [TestMethod]
    public void MissingLabelsAreSkippedAndTheModelStillLearns()
    {
        var ml = new MLContext(seed: 1);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Grade", keyData: ml.Data.LoadFromEnumerable(new[] { new GradeRow { Grade = "high" }, new GradeRow { Grade = "low" } }))
            .Append(ml.MultiTask().Attention(new MultiTaskOptions
            {
                Network = TestNetworks.One,
                Tasks = [new TaskColumn("Amount"), new TaskColumn("Risky", Mta.Models.Tasks.TaskKind.Binary), new TaskColumn("Grade")],
                Training = new Mta.Models.Options.TrainingOptions { Epochs = 40, Seed = 3 },
            }));
        var model = pipeline.Fit(Make(ml, 900, seed: 1, blank: true));
        var metrics = ml.MultiTask().Evaluate(model.Transform(Make(ml, 300, seed: 2, blank: false)), "Amount", "Risky", "Grade");
        Assert.IsGreaterThan(0.9, metrics["Amount"].Regression!.RSquared);
        Assert.IsGreaterThan(0.9, metrics["Risky"].Binary!.AreaUnderRocCurve);
        Assert.IsGreaterThan(0.8, metrics["Grade"].Multiclass!.MacroAccuracy);
        Assert.IsTrue(model.LastTransformer.TrainingHistory.All(h => double.IsFinite(h.TrainLoss)));
    }

    [TestMethod]
    public void AnExplicitValidationSetDrivesEarlyStopping()
    {
        var ml = new MLContext(seed: 1);
        var reports = new List<EpochReport>();
        var estimator = ml.MultiTask().Attention(new MultiTaskOptions
        {
            Network = TestNetworks.One,
            Tasks = [new TaskColumn("Amount")],
            ValidationData = Make(ml, 100, seed: 4, blank: false),
            Training = new Mta.Models.Options.TrainingOptions { Epochs = 300, EarlyStoppingPatience = 3, LearningRate = 0.03 },
            Progress = new Recorder(reports),
        });
        estimator.Fit(Make(ml, 400, seed: 3, blank: false)).Dispose();
        Assert.IsLessThan(300, reports.Count);
        Assert.IsTrue(reports.All(r => r.ValidationLoss is not null));
    }

    private sealed class GradeRow
    {
        public string Grade { get; set; } = "";
    }

    private sealed class Recorder(List<EpochReport> reports) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => reports.Add(value);
    }
}
