using Mta.Models.Data;
using Mta.Models.Options;
using Mta.Models.Training;

namespace Mta.Models.Tests;

/// <summary>The size-aware default ensemble: 4 members on small tables, none on larger ones or on pixels and items.</summary>
[TestClass]
public sealed class EnsembleSizeTests
{
    [TestMethod]
    [DataRow(null, 150L, 4)]
    [DataRow(null, 2_048L, 4)]
    [DataRow(null, 2_049L, 1)]
    [DataRow(null, 1_000_000L, 1)]
    [DataRow(2, 150L, 2)]
    [DataRow(1, 150L, 1)]
    [DataRow(6, 1_000_000L, 6)]
    public void ResolvedMembersAreSizedToTheRowsUnlessSet(int? members, long rows, int expected) =>
        Assert.AreEqual(expected, new NetworkOptions { EnsembleMembers = members }.ResolvedEnsembleMembers(rows));

    [TestMethod]
    public void PixelsAndItemsKeepOneMemberAndUnresolvedOptionsBuildOne()
    {
        Assert.AreEqual(1, new NetworkOptions { Architecture = Architecture.SetAttention, Set = new SetOptions { ItemWidth = 2 } }.ResolvedEnsembleMembers(150));
        Assert.AreEqual(1, new NetworkOptions { Architecture = Architecture.ConvolutionalAttention, Image = new ImageOptions { ImageShape = [1, 4, 4] } }.ResolvedEnsembleMembers(150));
        Assert.AreEqual(1, new NetworkOptions().ResolvedEnsembleMembers(), "a network built from options the trainer has not sized");
    }

    [TestMethod]
    public void TrainingUsesAndKeepsTheSizedMembers()
    {
        // 300 rows, none held out: the default is 4 members. Training with 4 set by hand gives the same model bit for
        // bit, so the sized value is the one the network trained with; above the line the default is one network.
        var small = SyntheticTasks.Make(300, 5, seed: 41);
        var options = new TrainingOptions { Epochs = 1, BatchSize = 64, ValidationFraction = 0, Seed = 3 };
        float[] Weights(MultiTaskData train, NetworkOptions network, out int? kept)
        {
            using var model = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, network, options);
            kept = model.NetworkOptions.EnsembleMembers;
            return [.. model.Network.parameters().SelectMany(p => p.detach().data<float>().ToArray())];
        }

        var byDefault = Weights(small, new NetworkOptions(), out var keptByDefault);
        var byHand = Weights(small, new NetworkOptions { EnsembleMembers = 4 }, out _);
        Assert.AreEqual(4, keptByDefault, "the trained model's options hold the members used");
        CollectionAssert.AreEqual(byHand, byDefault);

        Weights(SyntheticTasks.Make(2_100, 5, seed: 42), new NetworkOptions(), out var keptLarger);
        Assert.AreEqual(1, keptLarger);
    }
}
