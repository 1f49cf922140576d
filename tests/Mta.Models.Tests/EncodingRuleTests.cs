using Mta.Models.Options;
using Mta.Models.Training;

namespace Mta.Models.Tests;

/// <summary>Auto encoding: bins unless the binned inputs would outnumber the training rows.</summary>
[TestClass]
public sealed class EncodingRuleTests
{
    [TestMethod]
    [DataRow(NumericEncoding.Auto, 1_600, 140L, NumericEncoding.Standardized)]
    [DataRow(NumericEncoding.Auto, 80, 140L, NumericEncoding.Auto)]
    [DataRow(NumericEncoding.Auto, 140, 140L, NumericEncoding.Auto)]
    [DataRow(NumericEncoding.PiecewiseLinear, 1_600, 140L, NumericEncoding.PiecewiseLinear)]
    [DataRow(NumericEncoding.Standardized, 80, 140L, NumericEncoding.Standardized)]
    public void AutoFallsBackToStandardizedOnlyWhenTheBinsOutnumberTheRows(NumericEncoding set, int binnedWidth, long rows, NumericEncoding expected) =>
        Assert.AreEqual(expected, (TestNetworks.One with { NumericEncoding = set }).EncodingFor(binnedWidth, rows));

    [TestMethod]
    public void ATableWithMoreBinnedInputsThanRowsTrainsStandardizedAndKeepsThatChoice()
    {
        // 60 rows of 5 features: 16 bins each would be 80 inputs for 54 training rows.
        var train = SyntheticTasks.Make(60, 5, seed: 23);
        var training = new TrainingOptions { Epochs = 2, ValidationFraction = 0.1, Seed = 9 };
        float[] Weights(NetworkOptions network, out NumericEncoding kept)
        {
            using var model = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, network, training);
            kept = model.NetworkOptions.NumericEncoding;
            return [.. model.Network.parameters().SelectMany(p => p.detach().data<float>().ToArray())];
        }

        var auto = Weights(TestNetworks.One, out var autoKept);
        var standardized = Weights(TestNetworks.One with { NumericEncoding = NumericEncoding.Standardized }, out _);
        var binned = Weights(TestNetworks.One with { NumericEncoding = NumericEncoding.PiecewiseLinear }, out var binnedKept);

        Assert.AreEqual(NumericEncoding.Standardized, autoKept, "the trained model's options hold the encoding used");
        Assert.AreEqual(NumericEncoding.PiecewiseLinear, binnedKept, "an encoding set by hand is kept as set");
        CollectionAssert.AreEqual(standardized, auto);
        Assert.AreNotEqual(binned.Length, auto.Length, "bins set by hand still widen the first layer");
    }

    [TestMethod]
    public void ATableWithEnoughRowsKeepsTheBins()
    {
        var train = SyntheticTasks.Make(400, 5, seed: 23);
        var training = new TrainingOptions { Epochs = 1, ValidationFraction = 0, Seed = 9 };
        using var auto = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, TestNetworks.One, training);
        using var binned = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, TestNetworks.One with { NumericEncoding = NumericEncoding.PiecewiseLinear }, training);
        Assert.AreEqual(NumericEncoding.Auto, auto.NetworkOptions.NumericEncoding);
        CollectionAssert.AreEqual(
            binned.Network.parameters().SelectMany(p => p.detach().data<float>().ToArray()).ToArray(),
            auto.Network.parameters().SelectMany(p => p.detach().data<float>().ToArray()).ToArray());
    }
}
