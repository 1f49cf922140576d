using Mta.Models.Data;
using Mta.Models.Options;
using Mta.Models.Tasks;
using Mta.Models.Training;
using Mta.Models.Weighting;

namespace Mta.Models.Tests;

/// <summary>Every loss weighting trains every task kind, and each moves its weights in the direction its paper says.</summary>
[TestClass]
public sealed class LossWeightingTests
{
    private static readonly TaskSpec[] CleanAndNoisy = [new("clean", TaskKind.Regression), new("noisy", TaskKind.Regression)];

    [TestMethod]
    [DataRow(LossWeightingKind.Uncertainty, Architecture.ExpertAttention)]
    [DataRow(LossWeightingKind.DynamicWeightAverage, Architecture.MixtureOfExperts)]
    [DataRow(LossWeightingKind.GradNorm, Architecture.Ple)]
    [DataRow(LossWeightingKind.GradNorm, Architecture.LocalAttention)]
    [DataRow(LossWeightingKind.GradNorm, Architecture.DSelectK)]
    [DataRow(LossWeightingKind.GradNorm, Architecture.CrossStitch)]   // GradNorm reads LastSharedLayer: the last column layer
    public void EveryWeightingLearnsEveryTaskKind(LossWeightingKind weighting, Architecture architecture)
    {
        var train = SyntheticTasks.Make(1500, 6, seed: 1);
        var test = SyntheticTasks.Make(500, 6, seed: 2);
        using var model = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, new NetworkOptions { Architecture = architecture },
            new TrainingOptions { Epochs = 40, BatchSize = 64, Seed = 7, LossWeighting = weighting });
        var p = model.Predict(test.Features, test.RowCount);

        Assert.IsGreaterThan(0.9, Metrics.Auc(p[0].Probabilities!, test.Labels[0]), "binary AUC");
        Assert.IsGreaterThan(Metrics.MajorityAccuracy(test.Labels[1]) + 0.2, Metrics.Accuracy(p[1].PredictedIndex!, test.Labels[1]), "multiclass accuracy");
        Assert.IsGreaterThan(0.8, Metrics.RSquared(p[2].Score!, test.Labels[2]), "regression R²");
        Assert.HasCount(3, model.LossWeights);
        Assert.IsTrue(model.History.All(e => e.LossWeights.Count == 3), "every epoch reports the weights in force");
    }

    [TestMethod]
    public void UncertaintyGivesTheNoisyTaskTheSmallerWeight()
    {
        // After target standardization the noisy task's loss stays near 1 while the clean one's falls towards 0:
        // a ~100× larger loss, which uncertainty weighting must answer with a smaller weight.
        using var model = Train(LossWeightingKind.Uncertainty);
        Assert.IsLessThan(model.LossWeights[0] / 4, model.LossWeights[1], $"weights {string.Join(", ", model.LossWeights)}");
    }

    [TestMethod]
    public void DynamicWeightAverageFavoursTheTaskThatStoppedImproving()
    {
        using var model = Train(LossWeightingKind.DynamicWeightAverage);
        var history = model.History;
        CollectionAssert.AreEqual(new[] { 1.0, 1.0 }, history[0].LossWeights.ToArray(), "λ = 1 in the first epochs");
        CollectionAssert.AreEqual(new[] { 1.0, 1.0 }, history[1].LossWeights.ToArray());
        // Epoch 3 trains with weights from the ratio of epochs 2 and 1, while the clean task still improves fast.
        var third = history[2].LossWeights;
        Assert.IsGreaterThan(third[0], third[1], $"epoch 3 weights {string.Join(", ", third)}");
        Assert.AreEqual(2.0, third.Sum(), 1e-9, "λ sums to K");
    }

    [TestMethod]
    public void GradNormRenormalizesToTheTaskCountAndMovesTheWeights()
    {
        using var model = Train(LossWeightingKind.GradNorm);
        Assert.AreEqual(2.0, model.LossWeights.Sum(), 1e-6, "weights sum to K");
        // The clean task's loss falls far faster (r_k small), so GradNorm lowers its weight and raises the noisy one's.
        Assert.IsGreaterThan(model.LossWeights[0], model.LossWeights[1], $"weights {string.Join(", ", model.LossWeights)}");
    }

    [TestMethod]
    public void AdaptiveWeightingRejectsHandSetTaskWeights()
    {
        var data = NoisyPair(200, seed: 1);
        TaskSpec[] tasks = [new("clean", TaskKind.Regression, lossWeight: 3f), new("noisy", TaskKind.Regression)];
        var error = Assert.ThrowsExactly<ArgumentException>(() => MultiTaskTrainer.Train(tasks, data, null, new NetworkOptions(),
            new TrainingOptions { Epochs = 1, LossWeighting = LossWeightingKind.GradNorm }));
        StringAssert.Contains(error.Message, "'clean'");
        StringAssert.Contains(error.Message, "LossWeight");
    }

    private static MultiTaskModel Train(LossWeightingKind weighting) =>
        MultiTaskTrainer.Train(CleanAndNoisy, NoisyPair(2000, seed: 5), null, new NetworkOptions { Dropout = 0 },
            new TrainingOptions { Epochs = 25, BatchSize = 64, LearningRate = 3e-3, Seed = 3, LossWeighting = weighting, EarlyStoppingPatience = 0, RestoreBestWeights = false });

    /// <summary>clean = a smooth function of x; noisy = a weak function of x plus noise 10× its signal.</summary>
    private static MultiTaskData NoisyPair(int rows, int seed)
    {
        var rng = new Random(seed);
        const int Features = 4;
        var x = new float[rows * Features];
        var clean = new float[rows];
        var noisy = new float[rows];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < Features; j++)
                x[i * Features + j] = (float)(rng.NextDouble() * 2 - 1);
            clean[i] = (float)(2 * x[i * Features] + Math.Sin(3 * x[i * Features + 1]));
            noisy[i] = (float)(0.1 * x[i * Features + 2] + (rng.NextDouble() * 2 - 1));
        }
        return new MultiTaskData(x, Features, [clean, noisy]);
    }
}
