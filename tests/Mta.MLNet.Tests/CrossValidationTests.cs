using Microsoft.ML;
using Microsoft.ML.Data;
using Mta.MLNet.Evaluation;

namespace Mta.MLNet.Tests;

/// <summary>mlContext.MultiTask().CrossValidate: folds, the spread of every metric, grouping, and bad arguments.</summary>
[TestClass]
public sealed class CrossValidationTests
{
    [TestMethod]
    public void FiveFoldsGiveAModelAndMetricsPerFoldAndTheirMeanAndSpread()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.Cache(Synthetic.Load(ml, rows: 200, seed: 3));
        using var result = ml.MultiTask().CrossValidate(data, Synthetic.Pipeline(ml), numberOfFolds: 5, seed: 7);

        Assert.HasCount(5, result.Folds);
        Assert.AreEqual(200, result.Folds.Sum(f => f.TestRows), "every row is tested once");
        Assert.IsTrue(result.Folds.All(f => f.TrainingRows + f.TestRows == 200));
        var auc = result.Folds.Select(f => f.Metrics["Flag"].Binary!.AreaUnderRocCurve).ToArray();
        var summary = result["Flag", "AUC"];
        Assert.AreEqual(auc.Average(), summary.Mean, 1e-12);
        double sd = Math.Sqrt(auc.Sum(a => (a - auc.Average()) * (a - auc.Average())) / 4);
        Assert.AreEqual(sd, summary.StandardDeviation, 1e-12);
        Assert.IsGreaterThan(0.0, summary.StandardDeviation, "folds differ");
        Assert.IsGreaterThan(0.8, summary.Mean, "the folds' models learned the signal");
        CollectionAssert.AreEquivalent(new[] { "Flag", "Grade", "Amount" }, result.Summary.Select(s => s.Task).Distinct().ToArray());
        Assert.AreEqual(result.Folds[2].Metrics["Amount"].Regression!.RSquared, result["Amount", "RSquared"].PerFold[2], 1e-12);
        StringAssert.Contains(result.Split, "seed 7");
        // A fold's model scores new rows.
        var scored = ml.MultiTask().Evaluate(result.Folds[0].Model.Transform(data), "Flag", "Grade", "Amount");
        Assert.IsGreaterThan(0.8, scored["Flag"].Binary!.AreaUnderRocCurve);
    }

    [TestMethod]
    public void RowsOfOneGroupStayInOneFold()
    {
        var ml = new MLContext(seed: 1);
        var rng = new Random(4);
        var rows = Enumerable.Range(0, 120).Select(i =>
        {
            var x = Enumerable.Range(0, 3).Select(_ => (float)rng.NextDouble()).ToArray();
            return new GroupedRow { Patient = $"p{i / 4}", Features = x, Amount = x[0] * 3 + x[1] };
        }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        var estimator = ml.MultiTask().Attention(new MultiTaskOptions { Network = TestNetworks.One, Tasks = [new TaskColumn("Amount")], Training = new() { Epochs = 2 } });
        using var result = ml.MultiTask().CrossValidate(data, estimator, numberOfFolds: 3, groupColumnName: "Patient", seed: 1);

        var seen = new Dictionary<string, int>();
        foreach (var fold in result.Folds)
        {
            foreach (var patient in ml.Data.CreateEnumerable<GroupedRow>(fold.ScoredHoldOutSet, reuseRowObject: false).Select(r => r.Patient).Distinct())
            {
                Assert.IsFalse(seen.ContainsKey(patient), $"patient {patient} is in folds {seen.GetValueOrDefault(patient)} and {fold.Fold}");
                seen[patient] = fold.Fold;
            }
        }
        Assert.HasCount(30, seen, "every patient is tested once");
        StringAssert.Contains(result.Split, "same 'Patient'");
    }

    [TestMethod]
    public void BadArgumentsAreNamed()
    {
        var ml = new MLContext(seed: 1);
        var data = Synthetic.Load(ml, rows: 20, seed: 3);
        var pipeline = Synthetic.Pipeline(ml);
        var one = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.MultiTask().CrossValidate(data, pipeline, numberOfFolds: 1));
        Assert.AreEqual("numberOfFolds", one.ParamName);
        var many = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.MultiTask().CrossValidate(data, pipeline, numberOfFolds: 21));
        Assert.AreEqual("numberOfFolds", many.ParamName);
        StringAssert.Contains(many.Message, "20 rows");
        var group = Assert.ThrowsExactly<ArgumentException>(() => ml.MultiTask().CrossValidate(data, pipeline, groupColumnName: "Patient"));
        Assert.AreEqual("groupColumnName", group.ParamName);
        StringAssert.Contains(group.Message, "'Patient'");
        var tasks = Assert.ThrowsExactly<ArgumentException>(() => ml.MultiTask().CrossValidate(data, ml.Transforms.CopyColumns("A", "Amount")));
        Assert.AreEqual("tasks", tasks.ParamName);
    }

    private sealed class GroupedRow
    {
        public string Patient { get; set; } = "";

        [VectorType(3)] public float[] Features { get; set; } = [];

        public float Amount { get; set; }
    }
}
