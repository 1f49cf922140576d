using Mta.Models.Data;
using Mta.Models.Onnx;
using Mta.Models.Options;
using Mta.Models.Tasks;
using Mta.Models.Training;

namespace Mta.Models.Tests;

/// <summary>MulticlassDecision.Balanced: probabilities p_c / π_c renormalized, predicted class their argmax; training unchanged.</summary>
[TestClass]
public sealed class BalancedDecisionTests
{
    private static readonly TaskSpec[] Specs = [new("c", TaskKind.Multiclass, 3), new("r", TaskKind.Regression)];

    /// <summary>Three overlapping classes, 85% / 12% / 3%: the most likely class is almost always the frequent one.</summary>
    private static MultiTaskData Imbalanced(int rows, int seed)
    {
        var rng = new Random(seed);
        var x = new float[rows * 2];
        var c = new float[rows];
        var r = new float[rows];
        for (int i = 0; i < rows; i++)
        {
            double u = rng.NextDouble();
            int cls = u < 0.85 ? 0 : u < 0.97 ? 1 : 2;
            x[2 * i] = (float)(cls * 0.9 + rng.NextDouble() * 1.5);
            x[2 * i + 1] = (float)rng.NextDouble();
            c[i] = cls;
            r[i] = x[2 * i] + x[2 * i + 1];
        }
        return new MultiTaskData(x, 2, [c, r]);
    }

    [TestMethod]
    public void BalancedRescalesTheProbabilitiesByTheClassPriorsAndRaisesMacroAccuracy()
    {
        var train = Imbalanced(3000, seed: 1);
        var test = Imbalanced(2000, seed: 2);
        var network = TestNetworks.One with { ExpertHiddenSizes = [16], ExpertCount = 2 };
        var options = new TrainingOptions { Epochs = 15, Seed = 3 };
        using var likely = MultiTaskTrainer.Train(Specs, train, null, network, options);
        using var balanced = MultiTaskTrainer.Train(Specs, train, null, network, options with { MulticlassDecision = MulticlassDecision.Balanced });
        var p1 = likely.Predict(test.Features, test.RowCount)[0];
        var p2 = balanced.Predict(test.Features, test.RowCount)[0];

        // Same training, so the balanced probabilities are the plain ones divided by the priors and renormalized.
        var priors = balanced.ClassPriors[0]!;
        for (int i = 0; i < test.RowCount; i++)
        {
            var adjusted = Enumerable.Range(0, 3).Select(c => p1.Probabilities![i * 3 + c] / priors[c]).ToArray();
            for (int c = 0; c < 3; c++)
                Assert.AreEqual(adjusted[c] / adjusted.Sum(), p2.Probabilities![i * 3 + c], 1e-5, $"row {i} class {c}");
        }
        double Macro(long[] predicted) => Enumerable.Range(0, 3).Average(k =>
        {
            var rows = Enumerable.Range(0, test.RowCount).Where(i => test.Labels[0][i] == k).ToArray();
            return rows.Count(i => predicted[i] == k) / (double)rows.Length;
        });
        Assert.IsGreaterThan(Macro(p1.PredictedIndex!) + 0.02, Macro(p2.PredictedIndex!), $"macro-accuracy {Macro(p1.PredictedIndex!):F3} → {Macro(p2.PredictedIndex!):F3}");
    }

    [TestMethod]
    public void TheOnnxGraphMakesTheSameBalancedDecision()
    {
        var train = Imbalanced(3000, seed: 4);
        using var model = MultiTaskTrainer.Train(Specs, train, null, TestNetworks.One,
            new TrainingOptions { Epochs = 12, Seed = 3, MulticlassDecision = MulticlassDecision.Balanced });
        var probe = Imbalanced(300, seed: 5);
        var expected = model.Predict(probe.Features, probe.RowCount)[0].PredictedIndex!;
        var onnx = OnnxParityTests.Run(model.ExportOnnx(), probe.Features, probe.RowCount, 2);
        CollectionAssert.AreEqual(expected, (long[])onnx["c_predicted_index"]);
        var probabilities = model.Predict(probe.Features, probe.RowCount)[0].Probabilities!;
        var onnxProbabilities = (float[])onnx["c_probabilities"];
        for (int i = 0; i < probabilities.Length; i++)
            Assert.AreEqual(probabilities[i], onnxProbabilities[i], 1e-5);
        Assert.IsGreaterThan(1, expected.Distinct().Count(), "more than the frequent class is predicted");
    }
}
