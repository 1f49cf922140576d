using Microsoft.ML;
using Microsoft.ML.Data;
using Mta.Models.Tasks;

namespace Mta.MLNet.Tests.Reliability;

/// <summary>
/// The bad-input catalogue for Fit: each case fails with a documented exception type whose message names the
/// column, task or option, before any training (or, for data problems, as soon as the rows are read).
/// </summary>
[TestClass]
public sealed class FitInputErrorTests
{
    private readonly MLContext _ml = new(seed: 1);

    private sealed class DoubleFeatures
    {
        [VectorType(3)] public double[] Features { get; set; } = [1, 2, 3];
        public float Y { get; set; }
    }

    private sealed class VariableFeatures
    {
        [VectorType] public float[] Features { get; set; } = [1, 2, 3];
        public float Y { get; set; }
    }

    private sealed class IntegerLabel
    {
        [VectorType(3)] public float[] Features { get; set; } = [1, 2, 3];
        public int Y { get; set; }
    }

    private sealed class Row
    {
        [VectorType(3)] public float[] Features { get; set; } = [1, 2, 3];
        public float Y { get; set; }
        public bool Flag { get; set; }
    }

    [TestMethod]
    public void ADoubleVectorFeatureColumnIsRejectedByName()
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => _ml.MultiTask().Attention(["Y"]).Fit(_ml.Data.LoadFromEnumerable([new DoubleFeatures()])));
        StringAssert.Contains(e.Message, "'Features'");
        StringAssert.Contains(e.Message, "known-size vector of Single");
    }

    [TestMethod]
    public void AVariableSizeFeatureColumnIsRejectedByName()
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => _ml.MultiTask().Attention(["Y"]).Fit(_ml.Data.LoadFromEnumerable([new VariableFeatures()])));
        StringAssert.Contains(e.Message, "'Features'");
    }

    [TestMethod]
    public void AnIntegerLabelIsRejectedWithTheSupportedTypes()
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => _ml.MultiTask().Attention(["Y"]).Fit(_ml.Data.LoadFromEnumerable([new IntegerLabel()])));
        StringAssert.Contains(e.Message, "'Y'");
        StringAssert.Contains(e.Message, "Boolean");
    }

    [TestMethod]
    public void AnEmptyTaskNameIsRejected()
    {
        Assert.ThrowsExactly<ArgumentException>(() => new TaskColumn(" "));
        var e = Assert.ThrowsExactly<ArgumentException>(() => _ml.MultiTask().Attention(new MultiTaskOptions { Network = TestNetworks.One, Tasks = [] }));
        StringAssert.Contains(e.Message, "task");
    }

    [TestMethod]
    public void ZeroRowsAreRejected()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => _ml.MultiTask().Attention(["Y"]).Fit(_ml.Data.LoadFromEnumerable(Array.Empty<Row>())));
        StringAssert.Contains(e.Message, "no rows");
    }

    [TestMethod]
    public void ATaskWhoseLabelsAreAllMissingIsNamed()
    {
        var rows = Enumerable.Range(0, 20).Select(i => new Row { Features = [i, 1, 2], Y = float.NaN, Flag = i % 2 == 0 }).ToArray();
        var e = Assert.ThrowsExactly<ArgumentException>(() => _ml.MultiTask().Attention(["Y", "Flag"]).Fit(_ml.Data.LoadFromEnumerable(rows)));
        StringAssert.Contains(e.Message, "'Y'");
    }

    [TestMethod]
    public void ABinaryTaskWithOneClassIsNamed()
    {
        var rows = Enumerable.Range(0, 20).Select(i => new Row { Features = [i, 1, 2], Y = i, Flag = true }).ToArray();
        var e = Assert.ThrowsExactly<ArgumentException>(() => _ml.MultiTask().Attention(["Y", "Flag"]).Fit(_ml.Data.LoadFromEnumerable(rows)));
        StringAssert.Contains(e.Message, "'Flag'");
        StringAssert.Contains(e.Message, "both classes");
    }

    [TestMethod]
    public void InfiniteRegressionLabelsAreMissingAndNonFiniteFeaturesBecomeTheMean()
    {
        var rows = Enumerable.Range(0, 200).Select(i => new Row
        {
            Features = [i % 7 == 0 ? float.NaN : i / 200f, i % 11 == 0 ? float.PositiveInfinity : 1, i % 13 == 0 ? float.NegativeInfinity : -1],
            Y = i % 5 == 0 ? float.PositiveInfinity : i % 9 == 0 ? float.NegativeInfinity : i / 100f,
            Flag = i % 2 == 0,
        }).ToArray();
        var data = _ml.Data.LoadFromEnumerable(rows);
        var options = new MultiTaskOptions { Network = TestNetworks.One, Tasks = [new TaskColumn("Y")], Training = new() { Epochs = 3, Seed = 1 } };
        using var model = _ml.MultiTask().Attention(options).Fit(data);
        var scores = model.Transform(data).GetColumn<float>("Y.Score").ToArray();
        Assert.IsTrue(scores.All(float.IsFinite), "every prediction is finite");
        Assert.IsTrue(model.TrainingHistory.All(h => double.IsFinite(h.TrainLoss)), "±∞ labels did not reach the loss");
    }

    [TestMethod]
    public void AClassOnlyInTheValidationDataIsNamed()
    {
        var train = _ml.Data.LoadFromEnumerable(Enumerable.Range(0, 30).Select(i => new Row { Features = [i, 0, 1], Y = i % 2 }));
        var validation = _ml.Data.LoadFromEnumerable(Enumerable.Range(0, 10).Select(i => new Row { Features = [i, 0, 1], Y = 3 }));
        // Keys from the validation data's own dictionary: class "3" is unknown to the training data's key type.
        var trainKeys = _ml.Transforms.Conversion.MapValueToKey("Y").Fit(train);
        var validationKeys = _ml.Transforms.Conversion.MapValueToKey("Y").Fit(validation);
        var options = new MultiTaskOptions { Network = TestNetworks.One, Tasks = [new TaskColumn("Y", TaskKind.Multiclass)], ValidationData = validationKeys.Transform(validation), Training = new() { Epochs = 1 } };
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => _ml.MultiTask().Attention(options).Fit(trainKeys.Transform(train)));
        StringAssert.Contains(e.Message, "'Y'");
        StringAssert.Contains(e.Message, "validation");
    }

    [TestMethod]
    [DataRow("ExpertCount")]
    [DataRow("LearningRate")]
    [DataRow("BatchSize")]
    [DataRow("Epochs")]
    [DataRow("Dropout")]
    public void AbsurdOptionsAreRejectedByNameAtConstruction(string option)
    {
        var options = new MultiTaskOptions { Network = TestNetworks.One, Tasks = [new TaskColumn("Y")] };
        switch (option)
        {
            case "ExpertCount": options.Network = options.Network with { ExpertCount = 0 }; break;
            case "LearningRate": options.Training = options.Training with { LearningRate = -1e-3 }; break;
            case "BatchSize": options.Training = options.Training with { BatchSize = 0 }; break;
            case "Epochs": options.Training = options.Training with { Epochs = 0 }; break;
            default: options.Network = options.Network with { Dropout = 1.0f }; break;
        }
        var e = Assert.Throws<ArgumentException>(() => _ml.MultiTask().Attention(options));
        StringAssert.Contains(e.Message, option);
    }

    [TestMethod]
    [DataRow("ExpertCount")]
    [DataRow("BatchSize")]
    public void OptionsReplacedAfterConstructionAreValidatedAtFit(string option)
    {
        // Fit skips a second validation only for the option instances checked at construction.
        var options = new MultiTaskOptions { Network = TestNetworks.One, Tasks = [new TaskColumn("Y")] };
        var estimator = _ml.MultiTask().Attention(options);
        if (option == "ExpertCount")
            options.Network = options.Network with { ExpertCount = 0 };
        else
            options.Training = options.Training with { BatchSize = 0 };
        var rows = _ml.Data.LoadFromEnumerable(Enumerable.Range(0, 20).Select(i => new Row { Y = i }).ToArray());
        var e = Assert.Throws<ArgumentException>(() => estimator.Fit(rows));
        StringAssert.Contains(e.Message, option);
    }
}
