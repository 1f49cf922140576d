using Microsoft.ML;
using Microsoft.ML.Data;

namespace Mta.MLNet.Tests.Reliability;

/// <summary>Transform on data that does not fit the training schema: an error naming the column; empty input: no rows, no error.</summary>
[TestClass]
public sealed class ScoreInputErrorTests
{
    private static MLContext s_ml = null!;
    private static MultiTaskTransformer s_model = null!;

    private sealed class Renamed
    {
        [VectorType(4)] public float[] Inputs { get; set; } = new float[4];
    }

    private sealed class DoubleTyped
    {
        [VectorType(4)] public double[] Features { get; set; } = new double[4];
    }

    private sealed class Featured
    {
        [VectorType(4)] public float[] Features { get; set; } = new float[4];
    }

    [ClassInitialize]
    public static void Fit(TestContext _)
    {
        s_ml = new MLContext(seed: 1);
        var train = s_ml.Transforms.Conversion.MapValueToKey("Grade").Fit(Synthetic.Load(s_ml, 200, seed: 41)).Transform(Synthetic.Load(s_ml, 200, seed: 41));
        s_model = s_ml.MultiTask().Attention(new MultiTaskOptions
        {
            Network = TestNetworks.One,
            Tasks = [new TaskColumn("Flag"), new TaskColumn("Amount")],
            Training = new() { Epochs = 2, Seed = 1 },
        }).Fit(train);
    }

    [ClassCleanup]
    public static void Cleanup() => s_model.Dispose();

    [TestMethod]
    public void AMissingFeatureColumnIsNamed()
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => s_model.Transform(s_ml.Data.LoadFromEnumerable([new Renamed()])));
        StringAssert.Contains(e.Message, "'Features'");
    }

    [TestMethod]
    public void AFeatureColumnOfAnotherTypeIsNamed()
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => s_model.Transform(s_ml.Data.LoadFromEnumerable([new DoubleTyped()])));
        StringAssert.Contains(e.Message, "'Features'");
        StringAssert.Contains(e.Message, "Single");
    }

    [TestMethod]
    public void EmptyInputGivesNoRowsAndNoError()
    {
        var scored = s_model.Transform(s_ml.Data.LoadFromEnumerable(Array.Empty<Featured>()));
        Assert.IsEmpty(scored.GetColumn<float>("Flag.Probability").ToArray());
        var engine = s_ml.Model.CreatePredictionEngine<Featured, FlagPrediction>(s_model);
        Assert.IsTrue(float.IsFinite(engine.Predict(new Featured()).Probability));
    }

    private sealed class FlagPrediction
    {
        [ColumnName("Flag.Probability")] public float Probability { get; set; }
    }
}
