using Mta.Models.Data;
using Mta.Models.Modules;
using Mta.Models.Onnx;
using Mta.Models.Options;
using Mta.Models.Tasks;
using Mta.Models.Training;
using static TorchSharp.torch;

namespace Mta.Models.Tests;

/// <summary>The piecewise-linear numeric encoding: its bins, its values, its export and what it buys.</summary>
[TestClass]
public sealed class PiecewiseLinearTests
{
    [TestMethod]
    public void EdgesAreQuantilesInStandardUnits()
    {
        float[] column = [.. Enumerable.Range(0, 101).Select(i => (float)i), float.NaN];
        var bins = PiecewiseLinearBins.Fit(column, 1, new Standardization([50f], [10f]), bins: 4);

        CollectionAssert.AreEqual(new[] { 0, 0, 0, 0 }, bins.Source);
        CollectionAssert.AreEqual(new[] { -5f, -2.5f, 0f, 2.5f }, bins.Lower);
        CollectionAssert.AreEqual(new[] { 0.4f, 0.4f, 0.4f, 0.4f }, bins.InverseWidth);
        CollectionAssert.AreEqual(new[] { float.NegativeInfinity, 0f, 0f, 0f }, bins.Floor);
        CollectionAssert.AreEqual(new[] { 1f, 1f, 1f, float.PositiveInfinity }, bins.Ceiling);
    }

    [TestMethod]
    public void ConstantAndBinaryColumnsStayOneValue()
    {
        // Columns: constant 3, binary 0/1, then 0..9 (ten distinct values, four bins).
        var values = Enumerable.Range(0, 10).SelectMany(i => new[] { 3f, i % 2, i }).ToArray();
        var bins = PiecewiseLinearBins.Fit(values, 3, Standardization.Fit(values, 3), bins: 4);

        CollectionAssert.AreEqual(new[] { 0, 1, 2, 2, 2, 2 }, bins.Source);
        Assert.AreEqual(float.NegativeInfinity, bins.Floor[0]);
        Assert.AreEqual(float.PositiveInfinity, bins.Ceiling[0]);
        Assert.AreEqual(1f, bins.InverseWidth[0], "a constant passes its standardized value (0) through");
        Assert.AreEqual(float.NegativeInfinity, bins.Floor[1]);
        Assert.AreEqual(float.PositiveInfinity, bins.Ceiling[1], "a binary column is one unbounded line");
    }

    [TestMethod]
    public void ABinIsOneBelowTheValuePositionWithinAndZeroAboveThenStandardized()
    {
        float[] column = [.. Enumerable.Range(0, 101).Select(i => (float)i)];
        var bins = PiecewiseLinearBins.Fit(column, 1, new Standardization([50f], [10f]), bins: 4);
        using var encoder = new PiecewiseLinearEncoder("bins", bins);
        using var z = tensor(new[] { 1f, -7f, 7f }, [3, 1]);
        using var encoded = encoder.forward(z);

        var actual = encoded.data<float>().ToArray();
        float[] raw =
        [
            1f, 1f, 0.4f, 0f,     // inside the third bin
            -0.8f, 0f, 0f, 0f,    // below the training range: the first bin keeps its slope
            1f, 1f, 1f, 1.8f,     // above it: so does the last
        ];
        Assert.HasCount(raw.Length, actual);
        for (int i = 0; i < raw.Length; i++)
            Assert.AreEqual((raw[i] - bins.Mean[i % 4]) * bins.InverseScale[i % 4], actual[i], 1e-5, $"element {i}");
    }

    [TestMethod]
    public void EachBinIsStandardizedOverTheTrainingValues()
    {
        float[] column = [.. Enumerable.Range(0, 1000).Select(i => MathF.Exp(i / 200f))]; // skewed
        var scaling = Standardization.Fit(column, 1);
        var bins = PiecewiseLinearBins.Fit(column, 1, scaling, bins: 8);
        using var encoder = new PiecewiseLinearEncoder("bins", bins);
        using var z = tensor(column.Select(v => (v - scaling.Mean[0]) / scaling.Scale[0]).ToArray(), [column.Length, 1]);
        using var encoded = encoder.forward(z);
        using var mean = encoded.mean([0]);
        using var sd = encoded.std(0, unbiased: false);

        Assert.AreEqual(8, bins.Width);
        foreach (var m in mean.data<float>().ToArray())
            Assert.AreEqual(0, m, 1e-4);
        foreach (var s in sd.data<float>().ToArray())
            Assert.AreEqual(1, s, 1e-3);
    }

    [TestMethod]
    [DataRow(NumericEncoding.PiecewiseLinear)]
    [DataRow(NumericEncoding.Standardized)]
    public void OnnxMatchesTorchSharpInsideAndBeyondTheTrainingRange(NumericEncoding encoding)
    {
        var network = TestNetworks.One with { NumericEncoding = encoding, NumericBins = 6, ExpertCount = 3, ExpertHiddenSizes = [12, 8] };
        var train = SyntheticTasks.Make(200, 5, seed: 21);
        using var model = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, network, new TrainingOptions { Epochs = 2, Seed = 5 });
        Assert.AreEqual(encoding == NumericEncoding.PiecewiseLinear, model.Network.Numeric is not null);
        var probe = SyntheticTasks.Make(30, 5, seed: 22);
        for (int i = 0; i < 10; i++)
            probe.Features[i] *= 25; // far outside the training quantiles
        probe.Features[11] = float.NaN;

        var expected = model.Predict(probe.Features, probe.RowCount);
        var actual = OnnxParityTests.Run(model.ExportOnnx(new OnnxExportOptions()), probe.Features, probe.RowCount, 5);

        var value = (float[])actual["r_value"];
        var probabilities = (float[])actual["m_probabilities"];
        for (int i = 0; i < value.Length; i++)
            Assert.AreEqual(expected[2].Score![i], value[i], 1e-5 * Math.Max(1, Math.Abs(value[i])), $"r, row {i}");
        for (int i = 0; i < probabilities.Length; i++)
            Assert.AreEqual(expected[1].Probabilities![i], probabilities[i], 1e-5, $"m, value {i}");
    }

    [TestMethod]
    public void BinsFitAStepThatOneStandardizedValueFitsWorse()
    {
        // y steps at two thresholds of x: what trees find at once and a small MLP on a single input needs many epochs for.
        static MultiTaskData Steps(int rows, int seed)
        {
            var rng = new Random(seed);
            var x = new float[rows];
            var y = new float[rows];
            for (int i = 0; i < rows; i++)
            {
                x[i] = (float)rng.NextDouble() * 10;
                y[i] = (x[i] > 3 ? 1 : 0) + (x[i] > 7 ? 2 : 0);
            }
            return new MultiTaskData(x, 1, [y]);
        }
        TaskSpec[] tasks = [new("y", TaskKind.Regression)];
        var train = Steps(1000, seed: 1);
        var test = Steps(500, seed: 2);

        double Mse(NumericEncoding encoding)
        {
            var network = TestNetworks.One with { NumericEncoding = encoding, ExpertHiddenSizes = [16, 8], TowerHiddenSizes = [], Dropout = 0 };
            using var model = MultiTaskTrainer.Train(tasks, train, null, network, new TrainingOptions { Epochs = 40, Seed = 3, LearningRate = 3e-3 });
            var predicted = model.Predict(test.Features, test.RowCount)[0].Score!;
            return predicted.Select((p, i) => (p - test.Labels[0][i]) * (double)(p - test.Labels[0][i])).Average();
        }

        double binned = Mse(NumericEncoding.PiecewiseLinear), standardized = Mse(NumericEncoding.Standardized);
        Assert.IsLessThan(0.6 * standardized, binned, $"piecewise-linear MSE {binned:F4}, standardized {standardized:F4}");
    }
}
