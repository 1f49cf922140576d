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
    [DataRow(LossWeightingKind.RandomLossWeighting, Architecture.ExpertAttention)]
    [DataRow(LossWeightingKind.FAMO, Architecture.SharedBottom)]
    [DataRow(LossWeightingKind.PCGrad, Architecture.ExpertAttention)]
    [DataRow(LossWeightingKind.CAGrad, Architecture.MixtureOfExperts)]
    [DataRow(LossWeightingKind.MGDA, Architecture.Cgc)]
    [DataRow(LossWeightingKind.IMTL, Architecture.CrossStitch)]
    [DataRow(LossWeightingKind.AlignedMTL, Architecture.DSelectK)]
    [DataRow(LossWeightingKind.NashMTL, Architecture.Ple)]
    [DataRow(LossWeightingKind.GradNorm, Architecture.DSelectK)]
    [DataRow(LossWeightingKind.GradNorm, Architecture.CrossStitch)]   // GradNorm reads LastSharedLayer: the last column layer
    public void EveryWeightingLearnsEveryTaskKind(LossWeightingKind weighting, Architecture architecture)
    {
        var train = SyntheticTasks.Make(1500, 6, seed: 1);
        var test = SyntheticTasks.Make(500, 6, seed: 2);
        using var model = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, TestNetworks.One with { Architecture = architecture },
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
    [DataRow(LossWeightingKind.CAGrad)]
    [DataRow(LossWeightingKind.MGDA)]
    [DataRow(LossWeightingKind.IMTL)]
    [DataRow(LossWeightingKind.AlignedMTL)]
    [DataRow(LossWeightingKind.NashMTL)]
    public void GradientMethodsLeanTowardsTheTaskWithTheSmallerGradient(LossWeightingKind weighting)
    {
        // The clean task's gradient shrinks as it is learned; the noisy task's stays as large as its noise. Each of
        // these methods balances the tasks' progress (min-norm, equal projections, equal norms, bargaining), so the
        // clean task's smaller gradient gets the larger coefficient.
        using var model = Train(weighting);
        var last = model.History[^1];
        Assert.IsGreaterThan(last.LossWeights[1], last.LossWeights[0], $"last epoch's coefficients {string.Join(", ", last.LossWeights)}");
        Assert.IsTrue(model.History.All(e => e.GradientConflicts is >= 0 and <= 1), "every epoch reports how often the gradients conflicted");
    }

    [TestMethod]
    public void PCGradSeesConflictsBetweenANoisyAndACleanTaskButNotBetweenTwinTasks()
    {
        using var noisy = Train(LossWeightingKind.PCGrad);
        var data = NoisyPair(2000, seed: 5);
        var twins = new MultiTaskData(data.Features, data.FeatureCount, [data.Labels[0], data.Labels[0]]);
        using var twin = MultiTaskTrainer.Train(CleanAndNoisy, twins, null, TestNetworks.One with { Dropout = 0 }, Options(LossWeightingKind.PCGrad));
        double Conflicts(MultiTaskModel m) => m.History.Average(e => e.GradientConflicts!.Value);
        Assert.IsGreaterThan(0.1, Conflicts(noisy), "noise makes the gradients disagree often");
        Assert.IsLessThan(Conflicts(noisy) / 2, Conflicts(twin), $"twin tasks conflict far less ({Conflicts(twin)} against {Conflicts(noisy)})");
    }

    [TestMethod]
    public void FamoGivesTheNoisyTaskTheLargerLearnedWeight()
    {
        // The clean task's log-loss falls fast, the noisy one's hardly at all: FAMO shifts its softmax weights z
        // towards the task that gains less per step. The model reports the effective weights λ_k = K·z_k / (c·L_k),
        // so z_k is proportional to λ_k·L_k.
        using var model = Train(LossWeightingKind.FAMO);
        var last = model.History[^1];
        Assert.AreEqual(2.0, last.LossWeights.Sum(), 1e-6, "effective weights sum to K");
        double clean = last.LossWeights[0] * last.TaskTrainLosses[0], noisy = last.LossWeights[1] * last.TaskTrainLosses[1];
        Assert.IsGreaterThan(clean, noisy, $"z ∝ λ·L: clean {clean}, noisy {noisy}");
    }

    [TestMethod]
    public void AdaptiveWeightingRejectsHandSetTaskWeights()
    {
        var data = NoisyPair(200, seed: 1);
        TaskSpec[] tasks = [new("clean", TaskKind.Regression, lossWeight: 3f), new("noisy", TaskKind.Regression)];
        var error = Assert.ThrowsExactly<ArgumentException>(() => MultiTaskTrainer.Train(tasks, data, null, TestNetworks.One,
            new TrainingOptions { Epochs = 1, LossWeighting = LossWeightingKind.GradNorm }));
        StringAssert.Contains(error.Message, "'clean'");
        StringAssert.Contains(error.Message, "LossWeight");
    }

    private static MultiTaskModel Train(LossWeightingKind weighting) =>
        MultiTaskTrainer.Train(CleanAndNoisy, NoisyPair(2000, seed: 5), null, TestNetworks.One with { Dropout = 0 }, Options(weighting));

    private static TrainingOptions Options(LossWeightingKind weighting) =>
        new() { Epochs = 25, BatchSize = 64, LearningRate = 3e-3, Seed = 3, LossWeighting = weighting, EarlyStoppingPatience = 0, RestoreBestWeights = false };

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
