using Mta.Models.Data;
using Mta.Models.Options;
using Mta.Models.Training;
using static TorchSharp.torch;

namespace Mta.Models.Tests;

/// <summary><see cref="NumericEncoding.RobustScaled"/>: median and quartile scaling, then smooth clipping.</summary>
[TestClass]
public sealed class RobustScalingTests
{
    [TestMethod]
    public void TheCentreIsTheMedianAndTheScaleTheQuartileDistanceWhateverTheOutliers()
    {
        // Column 0: 1..9 and one outlier; column 1: quartiles that meet (half the range instead); column 2: constant.
        float[] a = [1, 2, 3, 4, 5, 6, 7, 8, 9, 1000];
        float[] b = [0, 0, 0, 0, 0, 0, 0, 0, 0, 4];
        var values = Enumerable.Range(0, a.Length).SelectMany(r => new[] { a[r], b[r], 7f }).ToArray();
        var scaling = RobustScaling.Fit(values, 3);
        Assert.AreEqual(5.5f, scaling.Mean[0], 1e-6f, "median of column 0");
        Assert.AreEqual(7.75f - 3.25f, scaling.Scale[0], 1e-5f, "q75 − q25 of column 0");
        Assert.AreEqual(0f, scaling.Mean[1]);
        Assert.AreEqual(2f, scaling.Scale[1], 1e-6f, "half the range where the quartiles meet");
        Assert.AreEqual(7f, scaling.Mean[2]);
        Assert.AreEqual(1f, scaling.Scale[2], "a constant keeps scale 1");
    }

    [TestMethod]
    public void TheNetworkClipsTheScaledInputsSmoothly()
    {
        var train = SyntheticTasks.Make(300, 4, seed: 71);
        using var model = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null,
            TestNetworks.One with { NumericEncoding = NumericEncoding.RobustScaled }, new TrainingOptions { Epochs = 1, Seed = 2, ValidationFraction = 0 });
        var scaling = RobustScaling.Fit(train.Features, 4);   // no hold-out below: fitted on these rows
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { scaling.Mean[0] + 30 * scaling.Scale[0], float.NaN, scaling.Mean[2], scaling.Mean[3] + scaling.Scale[3] }).view(1, 4);
        var z = model.Network.Standardize(x).data<float>().ToArray();
        Assert.AreEqual(30 / Math.Sqrt(1 + 100), z[0], 1e-4, "30 scale units clip to just under 3");
        Assert.AreEqual(0f, z[1], "a missing value is the centre");
        Assert.AreEqual(0f, z[2], 1e-6f);
        Assert.AreEqual(1 / Math.Sqrt(1 + 1.0 / 9), z[3], 1e-4);
    }

    [TestMethod]
    public void AnImageArchitectureRefusesIt()
    {
        var options = TestNetworks.One with { NumericEncoding = NumericEncoding.RobustScaled, Architecture = Architecture.ConvolutionalAttention, Image = new() { ImageShape = [1, 8, 8] } };
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(options.Validate);
        StringAssert.Contains(e.Message, "RobustScaled is for fixed-width table rows");
    }
}
