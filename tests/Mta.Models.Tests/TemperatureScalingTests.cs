using Mta.Models.Data;
using Mta.Models.Options;
using Mta.Models.Training;

namespace Mta.Models.Tests;

/// <summary>
/// <see cref="TrainingOptions.TemperatureScaling"/>: the classification tasks' probabilities move towards the
/// validation rows' frequencies, their predicted classes and rankings and the regression's values stay.
/// </summary>
[TestClass]
public sealed class TemperatureScalingTests
{
    // Label smoothing trains deliberately under-confident scores, which the temperature has to sharpen.
    private static readonly TrainingOptions Smoothed = new() { Epochs = 12, BatchSize = 64, Seed = 9, LabelSmoothing = 0.3 };

    [TestMethod]
    public void UnderConfidentScoresAreSharpenedWithoutChangingAnyDecision()
    {
        var train = SyntheticTasks.Make(1200, 6, seed: 61);
        var validation = SyntheticTasks.Make(300, 6, seed: 62);
        var test = SyntheticTasks.Make(400, 6, seed: 63);
        using var plain = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, validation, TestNetworks.One, Smoothed);
        using var scaled = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, validation, TestNetworks.One, Smoothed with { TemperatureScaling = true });

        var before = ValidationLosses(plain, validation);
        var after = ValidationLosses(scaled, validation);
        Assert.IsLessThan(before[0] - 0.01, after[0], "binary validation log-loss");
        Assert.IsLessThan(before[1] - 0.01, after[1], "multiclass validation log-loss");
        Assert.AreEqual(before[2], after[2], "the regression is not scaled");

        var p = plain.Predict(test.Features, test.RowCount);
        var q = scaled.Predict(test.Features, test.RowCount);
        CollectionAssert.AreEqual(p[0].PredictedIndex, q[0].PredictedIndex, "binary decisions");
        CollectionAssert.AreEqual(p[1].PredictedIndex, q[1].PredictedIndex, "multiclass decisions");
        Assert.AreEqual(Metrics.Auc(p[0].Probabilities!, test.Labels[0]), Metrics.Auc(q[0].Probabilities!, test.Labels[0]), 1e-9, "ranking");
        CollectionAssert.AreEqual(p[2].Score, q[2].Score, "regression values");
        // Sharper: the probability of the class predicted rises on average.
        Assert.IsGreaterThan(MeanTop(p[1].Probabilities!), MeanTop(q[1].Probabilities!), "multiclass confidence");
    }

    [TestMethod]
    public void WithoutValidationRowsNothingIsScaled()
    {
        var train = SyntheticTasks.Make(400, 5, seed: 64);
        var probe = SyntheticTasks.Make(40, 5, seed: 65);
        var options = Smoothed with { ValidationFraction = 0, Epochs = 3 };
        using var plain = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, TestNetworks.One, options);
        using var scaled = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, TestNetworks.One, options with { TemperatureScaling = true });
        CollectionAssert.AreEqual(plain.Predict(probe.Features, probe.RowCount)[1].Probabilities, scaled.Predict(probe.Features, probe.RowCount)[1].Probabilities);
    }

    [TestMethod]
    public void ResumedFromACheckpointItEqualsTheUninterruptedRun() =>
        CheckpointTests.AssertResumedEqualsUninterrupted(SyntheticTasks.Make(300, 5, seed: 66), SyntheticTasks.Make(40, 5, seed: 67),
            TestNetworks.One, Smoothed with { Epochs = 6, TemperatureScaling = true }, interruptAfter: 3);

    private static double[] ValidationLosses(MultiTaskModel model, MultiTaskData validation)
    {
        using var rows = DeviceData.Create(validation, SyntheticTasks.Specs, model.TargetScaling, model.Network);
        return MultiTaskTrainer.Evaluate(model.Network, rows, SyntheticTasks.Specs);
    }

    private static double MeanTop(float[] probabilities) =>
        probabilities.Chunk(3).Average(row => row.Max());
}
