using Mta.Models.Data;
using Mta.Models.Options;
using Mta.Models.Tasks;
using Mta.Models.Training;

namespace Mta.Models.Tests;

[TestClass]
public sealed class ValidationTests
{
    private static readonly MultiTaskData Data = SyntheticTasks.Make(50, 3, seed: 1);

    [TestMethod]
    [DataRow("ExpertCount")]
    [DataRow("Dropout")]
    [DataRow("NumericBins")]
    [DataRow("NumericEncoding")]
    [DataRow("DSelectK.SelectedExperts")]
    [DataRow("DSelectK.SmoothStepGamma")]
    public void BadNetworkOptionsAreRejectedByName(string option)
    {
        var network = option switch
        {
            "ExpertCount" => TestNetworks.One with { ExpertCount = 0 },
            "NumericBins" => TestNetworks.One with { NumericBins = 1 },
            // Piecewise-linear bins are for table columns, not a set's items.
            "NumericEncoding" => TestNetworks.One with { NumericEncoding = NumericEncoding.PiecewiseLinear, Architecture = Architecture.SetAttention, Set = new SetOptions { ItemWidth = 3 } },
            // Each of DSelect-k's selectors picks one expert: no more selectors than experts.
            "DSelectK.SelectedExperts" => TestNetworks.One with { Architecture = Architecture.DSelectK, ExpertCount = 3, DSelectK = new DSelectKOptions { SelectedExperts = 4 } },
            "DSelectK.SmoothStepGamma" => TestNetworks.One with { Architecture = Architecture.DSelectK, DSelectK = new DSelectKOptions { SmoothStepGamma = 0 } },
            _ => TestNetworks.One with { Dropout = 1.5f },
        };
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => MultiTaskTrainer.Train(SyntheticTasks.Specs, Data, null, network, new TrainingOptions()));
        Assert.AreEqual(option, e.ParamName);
    }

    [TestMethod]
    [DataRow("LearningRate")]
    [DataRow("BatchSize")]
    [DataRow("Epochs")]
    [DataRow("LearningRateDecay")]
    [DataRow("LearningRatePatience")]
    [DataRow("WeightAverageDecay")]
    [DataRow("AdamBeta2")]
    [DataRow("LearningRateSchedule")]
    [DataRow("LabelSmoothing")]
    public void BadTrainingOptionsAreRejectedByName(string option)
    {
        var training = option switch
        {
            "LearningRate" => new TrainingOptions { LearningRate = -1 },
            "BatchSize" => new TrainingOptions { BatchSize = 0 },
            "LearningRateDecay" => new TrainingOptions { LearningRateDecay = 1.5 },
            "LearningRatePatience" => new TrainingOptions { LearningRatePatience = 0 },
            "WeightAverageDecay" => new TrainingOptions { WeightAverageDecay = 1 },   // 1 would never move from the initial weights
            "AdamBeta2" => new TrainingOptions { AdamBeta2 = 1 },
            "LabelSmoothing" => new TrainingOptions { LabelSmoothing = 1 },
            "LearningRateSchedule" => new TrainingOptions { LearningRateSchedule = (LearningRateSchedule)7 },
            _ => new TrainingOptions { Epochs = 0 },
        };
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => MultiTaskTrainer.Train(SyntheticTasks.Specs, Data, null, TestNetworks.One, training));
        Assert.AreEqual(option, e.ParamName);
    }

    [TestMethod]
    public void DuplicateTaskNamesAreRejected()
    {
        TaskSpec[] tasks = [new("a", TaskKind.Binary), new("a", TaskKind.Regression)];
        var data = new MultiTaskData(new float[6], 3, [new float[2], new float[2]]);
        var e = Assert.ThrowsExactly<ArgumentException>(() => MultiTaskTrainer.Train(tasks, data, null, TestNetworks.One, new TrainingOptions()));
        StringAssert.Contains(e.Message, "'a'");
    }

    [TestMethod]
    public void ATaskWithEveryLabelMissingIsRejectedByName()
    {
        var data = new MultiTaskData(new float[30], 3, [Enumerable.Repeat(float.NaN, 10).ToArray()]);
        var e = Assert.ThrowsExactly<ArgumentException>(() => MultiTaskTrainer.Train([new TaskSpec("recur", TaskKind.Binary)], data, null, TestNetworks.One, new TrainingOptions()));
        StringAssert.Contains(e.Message, "'recur'");
    }

    [TestMethod]
    public void OutOfRangeLabelsAreRejectedWithTheValue()
    {
        var data = new MultiTaskData(new float[6], 3, [new float[] { 0, 2 }]);
        var e = Assert.ThrowsExactly<ArgumentException>(() => MultiTaskTrainer.Train([new TaskSpec("b", TaskKind.Binary)], data, null, TestNetworks.One, new TrainingOptions()));
        StringAssert.Contains(e.Message, "2");
    }

    [TestMethod]
    public void AnUnknownClassInTheValidationSetIsRejectedWithTheTaskName()
    {
        var validation = SyntheticTasks.Make(20, 3, seed: 3);
        validation.Labels[1][5] = 7; // task "m" has 3 classes
        var e = Assert.ThrowsExactly<ArgumentException>(() =>
            MultiTaskTrainer.Train(SyntheticTasks.Specs, Data, validation, TestNetworks.One, new TrainingOptions { Epochs = 1 }));
        StringAssert.Contains(e.Message, "'m'");
        StringAssert.Contains(e.Message, "7");
    }

    [TestMethod]
    public void NonFiniteFeaturesBecomeTheTrainingMean()
    {
        var train = SyntheticTasks.Make(300, 3, seed: 2);
        using var model = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, TestNetworks.One, new TrainingOptions { Epochs = 2, ValidationFraction = 0 });
        var mean = Enumerable.Range(0, 3).Select(j => (float)Enumerable.Range(0, train.RowCount).Average(i => train.Features[i * 3 + j])).ToArray();
        var withMean = model.Predict([mean[0], 1f, mean[2]], 1);
        var withNaN = model.Predict([float.NaN, 1f, float.PositiveInfinity], 1);
        Assert.AreEqual(withMean[2].Score![0], withNaN[2].Score![0], 1e-4);
        Assert.AreEqual(withMean[0].Probabilities![0], withNaN[0].Probabilities![0], 1e-5);
    }
}
