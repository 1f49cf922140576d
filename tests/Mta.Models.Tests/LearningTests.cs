using Mta.Models.Options;
using Mta.Models.Tasks;
using Mta.Models.Training;

namespace Mta.Models.Tests;

[TestClass]
public sealed class LearningTests
{
    private static readonly TrainingOptions Fast = new() { Epochs = 40, BatchSize = 64, Seed = 7 };

    [TestMethod]
    [DynamicData(nameof(SyntheticTasks.TableArchitectures), typeof(SyntheticTasks))]
    public void EveryArchitectureBeatsTrivialBaselinesOnEveryTaskKind(Architecture architecture)
    {
        var train = SyntheticTasks.Make(1500, 6, seed: 1);
        var test = SyntheticTasks.Make(500, 6, seed: 2);
        using var model = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, TestNetworks.One with { Architecture = architecture }, Fast);
        var p = model.Predict(test.Features, test.RowCount);

        Assert.IsGreaterThan(0.9, Metrics.Auc(p[0].Probabilities!, test.Labels[0]), "binary AUC");
        Assert.IsGreaterThan(Metrics.MajorityAccuracy(test.Labels[1]) + 0.2, Metrics.Accuracy(p[1].PredictedIndex!, test.Labels[1]), "multiclass accuracy vs majority class");
        Assert.IsGreaterThan(0.8, Metrics.RSquared(p[2].Score!, test.Labels[2]), "regression R² (0 = predicting the mean)");
    }

    [TestMethod]
    public void MissingLabelsAreIgnoredNotLearnedAsValues()
    {
        var train = SyntheticTasks.Make(1500, 6, seed: 3, missingLabelRate: 0.4);
        var test = SyntheticTasks.Make(500, 6, seed: 4);
        using var model = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, TestNetworks.One, Fast);
        var p = model.Predict(test.Features, test.RowCount);

        Assert.IsGreaterThan(0.9, Metrics.Auc(p[0].Probabilities!, test.Labels[0]));
        Assert.IsGreaterThan(0.8, Metrics.RSquared(p[2].Score!, test.Labels[2]));
        Assert.IsTrue(model.History.All(h => double.IsFinite(h.TrainLoss)), "NaN labels must not leak into the loss");
    }

    [TestMethod]
    public void RegressionOutputsAreInLabelUnits()
    {
        var train = SyntheticTasks.Make(800, 4, seed: 5);
        using var model = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, TestNetworks.One, Fast with { Epochs = 20 });
        var p = model.Predict(train.Features, train.RowCount);
        double meanPrediction = p[2].Score!.Average();
        double meanLabel = train.Labels[2].Average();
        Assert.AreEqual(meanLabel, meanPrediction, 5.0, "labels are centred near 100, standardized targets near 0");
    }

    [TestMethod]
    public void SameSeedGivesIdenticalPredictionsAndAnotherSeedDoesNot()
    {
        var train = SyntheticTasks.Make(400, 5, seed: 6);
        var options = Fast with { Epochs = 3 };
        float[] Run(TrainingOptions o)
        {
            using var model = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, TestNetworks.One, o);
            return model.Predict(train.Features, train.RowCount)[0].Probabilities!;
        }
        var first = Run(options);
        var second = Run(options);
        var other = Run(options with { Seed = 8 });
        CollectionAssert.AreEqual(first, second);
        CollectionAssert.AreNotEqual(first, other);
    }

    [TestMethod]
    public void EarlyStoppingStopsAndReportsEveryEpoch()
    {
        var train = SyntheticTasks.Make(600, 5, seed: 9);
        var reports = new List<EpochReport>();
        var progress = new SynchronousProgress<EpochReport>(reports.Add);
        using var model = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, TestNetworks.One,
            Fast with { Epochs = 500, EarlyStoppingPatience = 2, LearningRate = 0.05 }, progress);
        Assert.IsLessThan(500, reports.Count, "patience 2 with a large learning rate stops long before 500 epochs");
        Assert.HasCount(reports.Count, model.History);
        Assert.IsTrue(reports.All(r => r.ValidationLoss is not null && r.TaskValidationLosses!.Count == 3));
        Assert.IsTrue(reports.All(r => r.SamplesPerSecond > 0));
    }

    [TestMethod]
    public void PlateauScheduleHalvesTheLearningRateAfterEachRunOfEpochsWithoutProgress()
    {
        var train = SyntheticTasks.Make(600, 5, seed: 9);
        using var model = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, TestNetworks.One,
            Fast with { Epochs = 30, EarlyStoppingPatience = 0, LearningRate = 0.05, LearningRateDecay = 0.5, LearningRatePatience = 2 });

        // Replay the rule on the reported epochs: every 2nd epoch in a row without a new best halves the rate.
        double expected = 0.05;
        int sinceBest = 0, decays = 0;
        foreach (var epoch in model.History)
        {
            Assert.AreEqual(expected, epoch.LearningRate, 1e-15, $"epoch {epoch.Epoch}");
            sinceBest = epoch.IsBest ? 0 : sinceBest + 1;
            if (sinceBest > 0 && sinceBest % 2 == 0)
            {
                expected *= 0.5;
                decays++;
            }
        }
        Assert.IsGreaterThan(0, decays, "a large learning rate for 30 epochs plateaus at least once");
    }

    [TestMethod]
    public void LearningRateDecayOfOneKeepsTheRateConstant()
    {
        var train = SyntheticTasks.Make(300, 5, seed: 9);
        using var model = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, TestNetworks.One,
            Fast with { Epochs = 12, EarlyStoppingPatience = 0, LearningRate = 0.05, LearningRateDecay = 1 });
        Assert.IsTrue(model.History.All(e => e.LearningRate == 0.05));
        Assert.IsTrue(model.History.Any(e => !e.IsBest), "there were epochs without progress, and the rate stayed");
    }

    [TestMethod]
    public void CancellationStopsTraining()
    {
        var train = SyntheticTasks.Make(400, 5, seed: 10);
        using var cts = new CancellationTokenSource();
        var progress = new SynchronousProgress<EpochReport>(r => { if (r.Epoch == 2) cts.Cancel(); });
        Assert.ThrowsExactly<OperationCanceledException>(() =>
            MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, TestNetworks.One, Fast with { Epochs = 50 }, progress, cts.Token));
    }

    /// <summary>IProgress that reports on the calling thread (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
