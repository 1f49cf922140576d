using Mta.Models.Options;
using Mta.Models.Training;

namespace Mta.Models.Tests;

/// <summary>An epoch takes at least MinimumEpochSteps optimizer steps: small tables pass over their rows again.</summary>
[TestClass]
public sealed class EpochStepsTests
{
    [TestMethod]
    [DataRow(140L, 128, 32, 16)]      // two batches a pass: 16 passes make 32 steps
    [DataRow(140L, 128, 33, 17)]      // rounded up: never fewer steps than asked
    [DataRow(4_096L, 128, 32, 1)]     // 32 batches already
    [DataRow(1_000_000L, 128, 32, 1)]
    [DataRow(140L, 128, 1, 1)]        // 1: one pass, whatever the size
    [DataRow(5L, 128, 32, 32)]        // fewer rows than one batch: one step a pass
    public void PassesPerEpochMakeAtLeastTheMinimumSteps(long rows, int batchSize, int minimumSteps, int expected) =>
        Assert.AreEqual(expected, new TrainingOptions { BatchSize = batchSize, MinimumEpochSteps = minimumSteps }.PassesPerEpoch(rows));

    [TestMethod]
    public void AnEpochOfSeveralPassesIsThoseManyPlainEpochs()
    {
        // 200 rows in batches of 64 are 4 steps a pass. With a floor of 12 steps an epoch is 3 passes, so 2 such epochs
        // see the same batches in the same order as 6 plain epochs: with no validation to differ on, the same model.
        var train = SyntheticTasks.Make(200, 5, seed: 17);
        var plain = new TrainingOptions { Epochs = 6, BatchSize = 64, ValidationFraction = 0, Seed = 5, MinimumEpochSteps = 1 };
        float[] Weights(TrainingOptions options, out int epochs)
        {
            using var model = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, TestNetworks.One, options);
            epochs = model.History.Count;
            return [.. model.Network.parameters().SelectMany(p => p.detach().data<float>().ToArray())];
        }

        var sixPasses = Weights(plain, out int plainEpochs);
        var twoLongEpochs = Weights(plain with { Epochs = 2, MinimumEpochSteps = 12 }, out int longEpochs);
        var twoPlainEpochs = Weights(plain with { Epochs = 2 }, out _);

        Assert.AreEqual(6, plainEpochs);
        Assert.AreEqual(2, longEpochs);
        CollectionAssert.AreEqual(sixPasses, twoLongEpochs);
        CollectionAssert.AreNotEqual(twoPlainEpochs, twoLongEpochs);
    }

    [TestMethod]
    public void AFloorBelowOneStepIsRejectedByName()
    {
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new TrainingOptions { MinimumEpochSteps = 0 }.Validate());
        Assert.AreEqual(nameof(TrainingOptions.MinimumEpochSteps), error.ParamName);
    }
}
