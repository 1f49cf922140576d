using Microsoft.ML;
using Mta.MLNet.Experiments;
using Mta.Models.Options;

namespace Mta.MLNet.Tests;

/// <summary>A tiny search on the Rotterdam data: limits, determinism, cancellation, failures.</summary>
[TestClass]
public sealed class ExperimentTests
{
    private static MultiTaskExperimentOptions Tiny(MLContext ml, int trials, ExperimentTuner tuner = ExperimentTuner.RandomSearch)
    {
        var data = Rotterdam.Featurize(ml).Fit(Rotterdam.Load(ml)).Transform(Rotterdam.Load(ml));
        return new MultiTaskExperimentOptions
        {
            TrainData = ml.Data.Cache(data),
            Tasks = [new TaskColumn("recur"), new TaskColumn("death")],
            MaxTrials = trials,
            Tuner = tuner,
            BaseTraining = new TrainingOptions { Epochs = 3 },
            SearchSpace = new MultiTaskSearchSpace { ExpertWidths = [8, 16], BatchSizes = [256], NumericBins = [4, 6] },
            TimeBudget = TimeSpan.FromMinutes(5),
        };
    }

    [TestMethod]
    public async Task ATinySearchRespectsTheTrialLimitAndReturnsTheBestTrialsModel()
    {
        var ml = new MLContext(seed: 1);
        var seen = new List<TrialResult>();
        var options = Tiny(ml, trials: 3);
        options.Progress = new SynchronousProgress(seen.Add);
        var result = await ml.MultiTask().Experiment(options).RunAsync();
        using var model = result.Model;

        Assert.HasCount(3, result.Trials);
        Assert.HasCount(3, seen, "one progress report per trial");
        Assert.AreEqual(0.0, result.Trials[0].Score, 1e-12, "trial 1 is the defaults, the baseline of Δ");
        Assert.AreSame(options.BaseNetwork, result.Trials[0].Network);
        Assert.AreEqual(result.Trials.Where(t => t.Succeeded).Max(t => t.Score), result.BestTrial.Score);
        Assert.IsFalse(result.Cancelled);
        var scored = ml.MultiTask().Evaluate(model.Transform(options.TrainData!), "recur", "death");
        Assert.IsGreaterThan(0.6, scored["recur"].Binary!.AreaUnderRocCurve, "the returned model is a trained one");
        Assert.AreEqual(16, result.Trials[0].Network.NumericBins, "trial 1 keeps the default bins");
        Assert.IsTrue(result.Trials.Skip(1).All(t => t.Network.NumericBins is 4 or 6), "sampled trials draw their bins from the space");
    }

    [TestMethod]
    public async Task TheSameSeedGivesTheSameTrials()
    {
        var ml = new MLContext(seed: 1);
        var first = await ml.MultiTask().Experiment(Tiny(ml, trials: 4, ExperimentTuner.SuccessiveHalving)).RunAsync();
        var second = await ml.MultiTask().Experiment(Tiny(ml, trials: 4, ExperimentTuner.SuccessiveHalving)).RunAsync();
        first.Model.Dispose();
        second.Model.Dispose();
        CollectionAssert.AreEqual(first.Trials.Select(t => t.Score).ToArray(), second.Trials.Select(t => t.Score).ToArray());
        CollectionAssert.AreEqual(first.Trials.Select(t => t.Network.Architecture).ToArray(), second.Trials.Select(t => t.Network.Architecture).ToArray());
        CollectionAssert.AreEqual(first.Trials.Select(t => t.Training.LearningRate).ToArray(), second.Trials.Select(t => t.Training.LearningRate).ToArray());
    }

    [TestMethod]
    public async Task CancellationStopsTheSearchAndKeepsTheBestSoFar()
    {
        var ml = new MLContext(seed: 1);
        using var cancel = new CancellationTokenSource();
        var options = Tiny(ml, trials: 50);
        options.Progress = new SynchronousProgress(t => { if (t.Number == 2) cancel.Cancel(); });
        var result = await ml.MultiTask().Experiment(options).RunAsync(cancel.Token);
        using var model = result.Model;
        Assert.IsTrue(result.Cancelled);
        Assert.HasCount(2, result.Trials, "no trial starts after cancellation");
    }

    [TestMethod]
    public async Task AFailingTrialIsRecordedAndTheSearchGoesOn()
    {
        var ml = new MLContext(seed: 1);
        var options = Tiny(ml, trials: 3);
        // Every sampled trial uses an adaptive weighting with a hand-set task weight: rejected by the trainer.
        options.Tasks = [new TaskColumn("recur", weight: 2), new TaskColumn("death")];
        options.SearchSpace = options.SearchSpace with { LossWeightings = [Mta.Models.Weighting.LossWeightingKind.Uncertainty] };
        var result = await ml.MultiTask().Experiment(options).RunAsync();
        using var model = result.Model;
        Assert.HasCount(3, result.Trials);
        Assert.IsTrue(result.Trials[0].Succeeded, "the defaults (fixed weighting) train");
        Assert.IsTrue(result.Trials.Skip(1).All(t => !t.Succeeded && t.Error!.Contains("LossWeight", StringComparison.Ordinal)));
        Assert.AreEqual(1, result.BestTrial.Number);
    }

    [TestMethod]
    public async Task GradientAndNewLossLevelMethodsCanBeSearched()
    {
        var ml = new MLContext(seed: 1);
        var options = Tiny(ml, trials: 3);
        options.SearchSpace = options.SearchSpace with { LossWeightings = [Mta.Models.Weighting.LossWeightingKind.PCGrad, Mta.Models.Weighting.LossWeightingKind.FAMO] };
        var result = await ml.MultiTask().Experiment(options).RunAsync();
        using var model = result.Model;
        Assert.IsTrue(result.Trials.All(t => t.Succeeded), string.Join("; ", result.Trials.Select(t => t.Error)));
        Assert.IsTrue(result.Trials.Skip(1).All(t => t.Training.LossWeighting is Mta.Models.Weighting.LossWeightingKind.PCGrad or Mta.Models.Weighting.LossWeightingKind.FAMO),
            "trials after the defaults draw from the listed weightings");
    }

    [TestMethod]
    public async Task EnsemblesSchedulesAndTheOtherTrainingLeversCanBeSearched()
    {
        var ml = new MLContext(seed: 1);
        var options = Tiny(ml, trials: 3);
        options.SearchSpace = options.SearchSpace with
        {
            Architectures = [Mta.Models.Options.Architecture.ExpertAttention], EnsembleMembers = [2, 3],
            LearningRateSchedules = [Mta.Models.Options.LearningRateSchedule.Cosine], AdamBeta2s = [0.95], LabelSmoothings = [0.1],
            PerTaskBestEpochs = [true], TemperatureScalings = [true],
        };
        var result = await ml.MultiTask().Experiment(options).RunAsync();
        using var model = result.Model;
        Assert.IsTrue(result.Trials.All(t => t.Succeeded), string.Join("; ", result.Trials.Select(t => t.Error)));
        Assert.IsTrue(result.Trials.Skip(1).All(t => t.Network.EnsembleMembers is 2 or 3 && t.Training is
            { LearningRateSchedule: Mta.Models.Options.LearningRateSchedule.Cosine, AdamBeta2: 0.95, LabelSmoothing: 0.1, PerTaskBestEpoch: true, TemperatureScaling: true }),
            "trials after the defaults draw from the listed choices");
    }

    [TestMethod]
    public void AnEmptyChoiceOfBeta2IsNamed()
    {
        var ml = new MLContext(seed: 1);
        var options = Tiny(ml, trials: 2);
        options.SearchSpace = options.SearchSpace with { AdamBeta2s = [] };
        var error = Assert.ThrowsExactly<ArgumentException>(() => ml.MultiTask().Experiment(options));
        Assert.AreEqual("AdamBeta2s", error.ParamName);
    }

    [TestMethod]
    public void AnEmptyChoiceOfBinsIsNamed()
    {
        var ml = new MLContext(seed: 1);
        var options = Tiny(ml, trials: 2);
        options.SearchSpace = options.SearchSpace with { NumericBins = [] };
        var error = Assert.ThrowsExactly<ArgumentException>(() => ml.MultiTask().Experiment(options));
        Assert.AreEqual("NumericBins", error.ParamName);
    }

    [TestMethod]
    public void DSelectKTrialsGetNoMoreSelectorsThanTheExpertsDrawn()
    {
        var space = new MultiTaskSearchSpace { Architectures = [Architecture.DSelectK], ExpertCount = (2, 3) };
        var random = new Random(4);
        for (int i = 0; i < 20; i++)
        {
            var (network, _) = space.Sample(random, new NetworkOptions { DSelectK = new DSelectKOptions { SelectedExperts = 3 } }, new TrainingOptions());
            Assert.AreEqual(Math.Min(3, network.ExpertCount), network.DSelectK.SelectedExperts);
            network.Validate();
        }
    }

    [TestMethod]
    public void MissingTrainDataIsNamed()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => new MLContext().MultiTask().Experiment(new MultiTaskExperimentOptions { Tasks = [new TaskColumn("y")] }));
        StringAssert.Contains(error.Message, "TrainData");
    }

    [TestMethod]
    public async Task TheBestTrialAndTheDefaultsAreMeasuredOnTestRowsNoTrialWasScoredOn()
    {
        var ml = new MLContext(seed: 1);
        var options = Tiny(ml, trials: 2);
        var (rest, test) = ml.MultiTask().SplitByRowIndex(options.TrainData!);
        var (train, validation) = ml.MultiTask().SplitByRowIndex(rest, folds: 4, testFold: 3);
        (options.TrainData, options.ValidationData, options.TestData) = (ml.Data.Cache(train), ml.Data.Cache(validation), ml.Data.Cache(test));
        var result = await ml.MultiTask().Experiment(options).RunAsync();
        using var model = result.Model;

        Assert.AreEqual(596, result.TestRows, "every 5th of the 2,982 rows");
        var onTest = ml.MultiTask().Evaluate(model.Transform(options.TestData), options.Tasks);
        Assert.AreEqual(onTest["recur"].Binary!.AreaUnderRocCurve, result.TestMetrics["recur"].Binary!.AreaUnderRocCurve, 1e-12);
        Assert.AreNotEqual(result.BestTrial.Metrics!["recur"].Binary!.AreaUnderRocCurve, result.TestMetrics["recur"].Binary!.AreaUnderRocCurve,
            "validation and test metrics come from different rows");
        // The defaults, trained on the same rows as trial 1 was, give the reported default test metrics.
        using var defaults = ml.MultiTask().Attention(new MultiTaskOptions { Tasks = options.Tasks, Training = options.BaseTraining }).Fit(options.TrainData);
        var defaultsOnTest = ml.MultiTask().Evaluate(defaults.Transform(options.TestData), options.Tasks);
        Assert.AreEqual(defaultsOnTest["death"].Binary!.AreaUnderRocCurve, result.DefaultTestMetrics!["death"].Binary!.AreaUnderRocCurve, 1e-6);
        StringAssert.Contains(result.Split, "TestData");
    }

    [TestMethod]
    public async Task WithoutTestDataASeededSampleIsSetAsideAndStated()
    {
        var ml = new MLContext(seed: 1);
        var first = await ml.MultiTask().Experiment(Tiny(ml, trials: 1)).RunAsync();
        var second = await ml.MultiTask().Experiment(Tiny(ml, trials: 1)).RunAsync();
        first.Model.Dispose();
        second.Model.Dispose();
        Assert.AreEqual(first.Split, second.Split, "the same seed, the same rows");
        Assert.AreEqual(first.TestRows, second.TestRows);
        Assert.IsTrue(first.TestRows is > 2982 * 15 / 100 and < 2982 * 25 / 100, $"about 20% of the rows: {first.TestRows}");
        StringAssert.Contains(first.Split, "seeded 20% sample of TrainData (seed 1)");
        StringAssert.Contains(first.Split, "validation:");
        Assert.AreSame(first.TestMetrics, first.DefaultTestMetrics, "one trial: the best is the defaults");
    }

    [TestMethod]
    public async Task CrossValidatedTrialsAreScoredByTheirFoldMean()
    {
        var ml = new MLContext(seed: 1);
        var options = Tiny(ml, trials: 2);
        options.CrossValidationFolds = 3;
        var result = await ml.MultiTask().Experiment(options).RunAsync();
        using var model = result.Model;
        foreach (var trial in result.Trials.Where(t => t.Succeeded))
        {
            Assert.IsNull(trial.Metrics);
            Assert.HasCount(3, trial.FoldMetrics!);
            Assert.AreEqual(trial.FoldMetrics!.Average(f => f["recur"].Headline), trial.Headlines![0], 1e-12);
        }
        Assert.AreEqual(0.0, result.Trials[0].Score, 1e-12);
        StringAssert.Contains(result.Split, "3 folds");
        Assert.IsGreaterThan(0.6, result.TestMetrics["recur"].Binary!.AreaUnderRocCurve, "the refitted model is a trained one");
        Assert.IsNotNull(result.DefaultTestMetrics);
    }

    [TestMethod]
    public async Task RefitOnAllDataRefitsOnTheTrainingRowsButNeverOnTheTestRows()
    {
        var ml = new MLContext(seed: 1);
        var options = Tiny(ml, trials: 1);
        var (rest, test) = ml.MultiTask().SplitByRowIndex(options.TrainData!);
        (options.TrainData, options.TestData, options.RefitOnAllData) = (ml.Data.Cache(rest), ml.Data.Cache(test), true);
        var result = await ml.MultiTask().Experiment(options).RunAsync();
        using var model = result.Model;
        Assert.AreEqual(2982 - 596, result.TrainingRows, "train + validation rows, not the test rows");
        using var same = ml.MultiTask().Attention(new MultiTaskOptions { Tasks = options.Tasks, Training = options.BaseTraining }).Fit(options.TrainData);
        Assert.AreEqual(ml.MultiTask().Evaluate(same.Transform(test), options.Tasks)["recur"].Binary!.AreaUnderRocCurve,
            result.TestMetrics["recur"].Binary!.AreaUnderRocCurve, 1e-6, "the returned model is the defaults fitted on every non-test row");
    }

    [TestMethod]
    public void BadCrossValidationAndGroupingOptionsAreNamed()
    {
        var ml = new MLContext(seed: 1);
        var options = Tiny(ml, trials: 2);
        options.CrossValidationFolds = 1;
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.MultiTask().Experiment(options)).Message, "CrossValidationFolds");
        options.CrossValidationFolds = 3;
        options.ValidationData = options.TrainData;
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => ml.MultiTask().Experiment(options)).Message, "ValidationData");
        options.ValidationData = null;
        options.GroupColumnName = "patient";
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => ml.MultiTask().Experiment(options)).Message, "GroupColumnName 'patient'");
    }

    private sealed class SynchronousProgress(Action<TrialResult> action) : IProgress<TrialResult>
    {
        public void Report(TrialResult value) => action(value);
    }
}
