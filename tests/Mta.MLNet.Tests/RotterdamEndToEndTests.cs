using Microsoft.ML;
using Microsoft.ML.Data;

namespace Mta.MLNet.Tests;

/// <summary>The quickstart's path on the bundled real data: fit → evaluate → save → load → predict.</summary>
[TestClass]
public sealed class RotterdamEndToEndTests
{
    private static MLContext s_ml = null!;
    private static IDataView s_data = null!;
    private static IDataView s_test = null!;
    private static TransformerChain<MultiTaskTransformer> s_model = null!;

    [ClassInitialize]
    public static void Fit(TestContext _)
    {
        s_ml = new MLContext(seed: 1);
        s_data = Rotterdam.Load(s_ml);
        var (train, test) = s_ml.MultiTask().SplitByRowIndex(s_data);
        s_test = test;
        s_model = Rotterdam.Featurize(s_ml).Append(s_ml.MultiTask().Attention(["recur", "death"])).Fit(train);
    }

    [ClassCleanup]
    public static void Cleanup() => s_model.LastTransformer.Dispose();

    [TestMethod]
    public void BothTasksBeatChanceOnTheHeldOutRows()
    {
        var metrics = s_ml.MultiTask().Evaluate(s_model.Transform(s_test), "recur", "death");
        Assert.IsGreaterThan(0.65, metrics["recur"].Binary!.AreaUnderRocCurve);
        Assert.IsGreaterThan(0.65, metrics["death"].Binary!.AreaUnderRocCurve);
    }

    [TestMethod]
    public void SplitByRowIndexPutsEveryFifthRowInTest()
    {
        var (train, test) = s_ml.MultiTask().SplitByRowIndex(s_data);
        var ages = s_data.GetColumn<float>("age").ToArray();
        CollectionAssert.AreEqual(ages.Where((_, i) => i % 5 == 4).ToArray(), test.GetColumn<float>("age").ToArray());
        CollectionAssert.AreEqual(ages.Where((_, i) => i % 5 != 4).ToArray(), train.GetColumn<float>("age").ToArray());
    }

    [TestMethod]
    public void SavedModelLoadsWithPlainMlNetAndPredictsTheSame()
    {
        string path = Path.Combine(Path.GetTempPath(), $"mta-test-{Guid.NewGuid():N}.zip");
        try
        {
            s_ml.Model.Save(s_model, s_data.Schema, path);
            var fresh = new MLContext();
            var loaded = fresh.Model.Load(path, out var inputSchema);
            Assert.IsNotNull(inputSchema.GetColumnOrNull("age"));

            var before = s_model.Transform(s_test);
            var after = loaded.Transform(s_test);
            foreach (var column in new[] { "recur.Probability", "recur.Score", "death.Probability", "death.Score" })
                AssertClose(before.GetColumn<float>(column).ToArray(), after.GetColumn<float>(column).ToArray(), column);
            CollectionAssert.AreEqual(before.GetColumn<bool>("recur.PredictedLabel").ToArray(), after.GetColumn<bool>("recur.PredictedLabel").ToArray());
            AssertClose(before.GetColumn<float[]>("death.Attention").SelectMany(a => a).ToArray(),
                        after.GetColumn<float[]>("death.Attention").SelectMany(a => a).ToArray(), "death.Attention");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void PredictionEngineMatchesBatchedTransform()
    {
        var engine = s_ml.Model.CreatePredictionEngine<PatientRow, PatientScores>(s_model);
        var rows = s_ml.Data.CreateEnumerable<PatientRow>(s_test, reuseRowObject: false).Take(20).ToArray();
        var batched = s_model.Transform(s_test).GetColumn<float>("recur.Probability").Take(20).ToArray();
        for (int i = 0; i < rows.Length; i++)
            Assert.AreEqual(batched[i], engine.Predict(rows[i]).RecurProbability, 1e-6, $"row {i}");
    }

    [TestMethod]
    public void OutputColumnsFollowMlNetConventions()
    {
        var schema = s_model.Transform(s_test).Schema;
        Assert.AreEqual(NumberDataViewType.Single, schema["recur.Score"].Type);
        Assert.AreEqual(NumberDataViewType.Single, schema["recur.Probability"].Type);
        Assert.AreEqual(BooleanDataViewType.Instance, schema["recur.PredictedLabel"].Type);
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 4), schema["death.Attention"].Type);
    }

    [TestMethod]
    public void TrainingHistoryIsReported()
    {
        var history = s_model.LastTransformer.TrainingHistory;
        Assert.IsNotEmpty(history);
        Assert.IsTrue(history.All(h => h.TaskTrainLosses.Count == 2 && h.ValidationLoss is not null));
    }

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.HasCount(expected.Length, actual, what);
        for (int i = 0; i < expected.Length; i++)
            Assert.AreEqual(expected[i], actual[i], 1e-6, $"{what}[{i}]");
    }

    public sealed class PatientRow
    {
        [ColumnName("year")] public float Year { get; set; }
        [ColumnName("age")] public float Age { get; set; }
        [ColumnName("meno")] public float Meno { get; set; }
        [ColumnName("size")] public string Size { get; set; } = "";
        [ColumnName("grade")] public float Grade { get; set; }
        [ColumnName("nodes")] public float Nodes { get; set; }
        [ColumnName("pgr")] public float Pgr { get; set; }
        [ColumnName("er")] public float Er { get; set; }
        [ColumnName("hormon")] public float Hormon { get; set; }
        [ColumnName("chemo")] public float Chemo { get; set; }
        [ColumnName("recur")] public bool Recur { get; set; }
        [ColumnName("death")] public bool Death { get; set; }
    }

    public sealed class PatientScores
    {
        [ColumnName("recur.Probability")] public float RecurProbability { get; set; }
    }
}
