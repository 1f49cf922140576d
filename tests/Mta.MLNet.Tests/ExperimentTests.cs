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
    public void AnEmptyChoiceOfBinsIsNamed()
    {
        var ml = new MLContext(seed: 1);
        var options = Tiny(ml, trials: 2);
        options.SearchSpace = options.SearchSpace with { NumericBins = [] };
        var error = Assert.ThrowsExactly<ArgumentException>(() => ml.MultiTask().Experiment(options));
        Assert.AreEqual("NumericBins", error.ParamName);
    }

    [TestMethod]
    public void MissingTrainDataIsNamed()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => new MLContext().MultiTask().Experiment(new MultiTaskExperimentOptions { Tasks = [new TaskColumn("y")] }));
        StringAssert.Contains(error.Message, "TrainData");
    }

    private sealed class SynchronousProgress(Action<TrialResult> action) : IProgress<TrialResult>
    {
        public void Report(TrialResult value) => action(value);
    }
}
