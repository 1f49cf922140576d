using Mta.Models.Data;
using Mta.Models.Options;
using Mta.Models.Training;
using static TorchSharp.torch;

namespace Mta.Models.Tests;

/// <summary>Weight averaging: the model returned, and the one validation judges, is the average of the weights.</summary>
[TestClass]
public sealed class WeightAverageTests
{
    private static readonly MultiTaskData Train = SyntheticTasks.Make(256, 5, seed: 31);

    [TestMethod]
    public void AfterOneStepTheWeightsAreTheDecayWeightedMixOfStartAndStep()
    {
        // One optimizer step (one batch, one epoch), no validation: the returned weights are d·w0 + (1 − d)·w1, where
        // w0 are the initial weights, w1 the weights after the step and d = min(decay, 1/10) for the first update.
        // w0 is not observable, but the difference from the unaveraged run, d·(w0 − w1), must scale with d: a decay of
        // 0.05 lies half as far from it as any decay from 0.1 up (the warm-up caps the first update's d at 0.1).
        var options = new TrainingOptions { Epochs = 1, BatchSize = 256, ValidationFraction = 0, LearningRate = 0.01, Seed = 5, MinimumEpochSteps = 1 };
        float[] Weights(double decay)
        {
            using var model = MultiTaskTrainer.Train(SyntheticTasks.Specs, Train, null, TestNetworks.One, options with { WeightAverageDecay = decay });
            return [.. model.Network.parameters().SelectMany(p => p.detach().data<float>().ToArray())];
        }

        float[] stepped = Weights(0), small = Weights(0.05), capped = Weights(0.99);
        double moved = 0;
        for (int i = 0; i < stepped.Length; i++)
        {
            double fromSmall = small[i] - stepped[i], fromCapped = capped[i] - stepped[i];
            Assert.AreEqual(2 * fromSmall, fromCapped, 1e-6, $"weight {i}");
            moved = Math.Max(moved, Math.Abs(fromCapped));
        }
        Assert.IsGreaterThan(1e-4, moved, "the step moved the weights, so the check above has something to compare");
    }

    [TestMethod]
    public void BatchNormStatisticsAreAveragedWithTheWeights()
    {
        // One step of a convolutional network, as above but for the batch-norm running means and variances: they follow
        // the same average, so the distance from the unaveraged run's statistics doubles from decay 0.05 to 0.99.
        var images = SyntheticImages.Make(64, 2, 8, seed: 33);
        var network = TestNetworks.One with { Architecture = Architecture.ConvolutionalAttention, Image = new ImageOptions { ImageShape = [2, 8, 8], ConvChannels = [4, 6] }, TowerHiddenSizes = [8] };
        var options = new TrainingOptions { Epochs = 1, BatchSize = 64, ValidationFraction = 0, Seed = 5, MinimumEpochSteps = 1 };
        float[] Statistics(double decay)
        {
            using var model = MultiTaskTrainer.Train(SyntheticImages.Specs, images, null, network, options with { WeightAverageDecay = decay });
            return [.. WeightAverage.RunningStatistics(model.Network).SelectMany(t => t.data<float>().ToArray())];
        }

        float[] live = Statistics(0), small = Statistics(0.05), capped = Statistics(0.99);
        Assert.HasCount(2 * (4 + 6), live, "a mean and a variance per channel of both blocks");
        double moved = 0;
        for (int i = 0; i < live.Length; i++)
        {
            Assert.AreEqual(2 * (small[i] - live[i]), capped[i] - live[i], 1e-6, $"statistic {i}");
            moved = Math.Max(moved, Math.Abs(capped[i] - live[i]));
        }
        Assert.IsGreaterThan(1e-3, moved, "the step moved the statistics, so the check above has something to compare");
    }

    [TestMethod]
    public void TheReturnedModelHasTheBestValidationLossOfItsHistory()
    {
        // Validation judges the averaged weights, and those are the ones kept: the returned network's loss on the
        // validation rows is the best epoch's recorded validation loss.
        var validation = SyntheticTasks.Make(128, 5, seed: 32);
        var options = new TrainingOptions { Epochs = 8, BatchSize = 32, EarlyStoppingPatience = 0, Seed = 6 };
        using var model = MultiTaskTrainer.Train(SyntheticTasks.Specs, Train, validation, TestNetworks.One with { Dropout = 0.1f }, options);
        using var rows = DeviceData.Create(validation, model.Tasks, model.TargetScaling, model.Network);
        var losses = MultiTaskTrainer.Evaluate(model.Network, rows, model.Tasks);

        double best = model.History.Min(e => e.ValidationLoss!.Value);
        Assert.AreEqual(best, losses.Sum(), 1e-5);
    }
}
