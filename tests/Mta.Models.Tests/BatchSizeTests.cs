using Mta.Models.Options;
using Mta.Models.Training;

namespace Mta.Models.Tests;

/// <summary>The size-aware default batch: 128 on small data, doubling as the rows double from 32,768 on, and the value used is the one kept.</summary>
[TestClass]
public sealed class BatchSizeTests
{
    [TestMethod]
    [DataRow(null, 150L, 128)]
    [DataRow(null, 32_767L, 128)]
    [DataRow(null, 32_768L, 256)]
    [DataRow(null, 65_535L, 256)]
    [DataRow(null, 65_536L, 512)]
    [DataRow(null, 131_072L, 1024)]
    [DataRow(null, 50_000_000L, 1024)]
    [DataRow(64, 1_000_000L, 64)]
    [DataRow(2048, 150L, 2048)]
    public void BatchSizeForIsSizedToTheRowsUnlessSet(int? batchSize, long rows, int expected) =>
        Assert.AreEqual(expected, new TrainingOptions { BatchSize = batchSize }.BatchSizeFor(rows));

    [TestMethod]
    public void TheSizedBatchSetsTheStepsOfAnEpoch()
    {
        // 40,000 rows take 157 steps of the sized 256 rows, above the 32-step floor: one pass; 1,000 rows at 128 take 8.
        var options = new TrainingOptions();
        Assert.AreEqual(1, options.PassesPerEpoch(40_000));
        Assert.AreEqual(4, options.PassesPerEpoch(1_000));
    }

    [TestMethod]
    public void TrainingUsesAndKeepsTheSizedBatch()
    {
        // 600 rows: the default is 128, and training with 128 set by hand gives the same model bit for bit, while 64
        // gives another; the trained model's options hold the batch used.
        var train = SyntheticTasks.Make(600, 5, seed: 43);
        var options = new TrainingOptions { Epochs = 2, ValidationFraction = 0, Seed = 4 };
        float[] Weights(int? batchSize, out int? kept)
        {
            using var model = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, TestNetworks.One, options with { BatchSize = batchSize });
            kept = model.TrainingOptions.BatchSize;
            return [.. model.Network.parameters().SelectMany(p => p.detach().data<float>().ToArray())];
        }

        var byDefault = Weights(null, out var keptByDefault);
        var byHand = Weights(128, out _);
        var other = Weights(64, out var keptOther);

        Assert.AreEqual(128, keptByDefault, "the trained model's options hold the batch used");
        Assert.AreEqual(64, keptOther, "a batch set by hand is kept as set");
        CollectionAssert.AreEqual(byHand, byDefault, "the default trains with the sized batch");
        CollectionAssert.AreNotEqual(other, byDefault);
    }

    [TestMethod]
    public void ANonPositiveBatchIsRejectedByName()
    {
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new TrainingOptions { BatchSize = 0 }.Validate());
        Assert.AreEqual("BatchSize", error.ParamName);
    }
}
