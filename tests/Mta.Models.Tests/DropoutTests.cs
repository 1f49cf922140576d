using Mta.Models.Options;
using Mta.Models.Training;

namespace Mta.Models.Tests;

/// <summary>The size-aware default dropout: 0.2 on small data, less as the rows grow, and the value used is the one kept.</summary>
[TestClass]
public sealed class DropoutTests
{
    [TestMethod]
    [DataRow(null, 2_000L, 0.2f)]
    [DataRow(null, 10_000L, 0.2f)]
    [DataRow(null, 40_000L, 0.05f)]
    [DataRow(null, 1_000_000L, 0.002f)]
    [DataRow(0.3f, 40_000L, 0.3f)]
    [DataRow(0f, 2_000L, 0f)]
    public void ResolvedDropoutIsSizedToTheRowsUnlessSet(float? dropout, long rows, float expected) =>
        Assert.AreEqual(expected, (TestNetworks.One with { Dropout = dropout }).ResolvedDropout(rows), 1e-7f);

    [TestMethod]
    public void TrainingUsesAndKeepsTheSizedDropout()
    {
        // 12,000 rows, none held out: the default is 0.2 × 10,000 / 12,000. Training with that value set by hand gives
        // the same model bit for bit, and 0.2 a different one, so the sized rate is the one the network trained with.
        var train = SyntheticTasks.Make(12_000, 5, seed: 41);
        var options = new TrainingOptions { Epochs = 1, BatchSize = 512, ValidationFraction = 0, Seed = 3 };
        float sized = 0.2f * 10_000 / 12_000;
        float[] Weights(NetworkOptions network, out float? kept)
        {
            using var model = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, network, options);
            kept = model.NetworkOptions.Dropout;
            return [.. model.Network.parameters().SelectMany(p => p.detach().data<float>().ToArray())];
        }

        var byDefault = Weights(TestNetworks.One, out var keptByDefault);
        var byHand = Weights(TestNetworks.One with { Dropout = sized }, out _);
        var small = Weights(TestNetworks.One with { Dropout = 0.2f }, out var keptSmall);

        Assert.AreEqual(sized, keptByDefault, "the trained model's options hold the dropout used");
        Assert.AreEqual(0.2f, keptSmall, "a dropout set by hand is kept as set");
        CollectionAssert.AreEqual(byHand, byDefault);
        CollectionAssert.AreNotEqual(small, byDefault);
    }
}
