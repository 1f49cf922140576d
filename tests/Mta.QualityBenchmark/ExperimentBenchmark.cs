using System.Text;
using Microsoft.ML;
using Mta.MLNet;
using Mta.MLNet.Experiments;
using Mta.Models.Options;

namespace Mta.QualityBenchmark;

/// <summary>
/// Issue 6's proof: per data set, an experiment with a time budget on the protocol's train rows (it holds out every
/// 5th of them for scoring trials), then the best trial's model and the default options' model (trial 1, the same
/// rows) both scored on the protocol's test rows.
/// </summary>
internal static class ExperimentBenchmark
{
    public static string Run(IReadOnlyList<DatasetSpec> datasets, int seconds, string dataFolder, TextWriter log)
    {
        var table = new StringBuilder();
        table.AppendLine($"Experiment budget {seconds} s per data set, successive halving, objective Δ vs defaults on the experiment's validation rows; " +
            "test = the protocol's test rows. Mean main metric (AUC / macro-accuracy / R²) over tasks:");
        table.AppendLine();
        table.AppendLine("| data set | trials (failed) | best trial's options | defaults: test mean main | best: test mean main | Δ (test, mean over tasks) |");
        table.AppendLine("|---|---|---|---|---|---|");
        foreach (var dataset in datasets)
        {
            var ml = new MLContext(seed: 1);
            var (train, test) = dataset.Load(ml, dataFolder);
            var tasks = dataset.Tasks.Select(t => new TaskColumn(t.Name)).ToList();
            log.WriteLine($"{dataset.Name}: experiment for {seconds} s...");
            var result = ml.MultiTask().Experiment(new MultiTaskExperimentOptions
            {
                TrainData = train,
                Tasks = tasks,
                TimeBudget = TimeSpan.FromSeconds(seconds),
                MaxTrials = 1000,
                // The trials' seed, explicit: the context's seed (1) would otherwise be the training seed.
                BaseTraining = new TrainingOptions { Seed = TrainingOptions.DefaultSeed },
            }).RunAsync().GetAwaiter().GetResult();
            using var best = result.Model;
            // Trial 1 = the defaults on the same rows (the experiment's train part): refit it, deterministic, to score on test.
            var (experimentTrain, _) = ml.MultiTask().SplitByRowIndex(train);
            using var defaults = ml.MultiTask().Attention(new MultiTaskOptions { Tasks = tasks, Training = new TrainingOptions { Seed = TrainingOptions.DefaultSeed } }).Fit(experimentTrain);
            var names = tasks.Select(t => t.Name).ToArray();
            var bestMetrics = ml.MultiTask().Evaluate(best.Transform(test), names);
            var defaultMetrics = ml.MultiTask().Evaluate(defaults.Transform(test), names);
            double bestMean = bestMetrics.Tasks.Average(t => t.Headline), defaultMean = defaultMetrics.Tasks.Average(t => t.Headline);
            double delta = bestMetrics.Tasks.Zip(defaultMetrics.Tasks, (b, d) => (b.Headline - d.Headline) / Math.Max(Math.Abs(d.Headline), 1e-12)).Average();
            var o = result.BestTrial;
            string options = o.Number == 1 ? "the defaults" :
                $"{o.Network.Architecture}, {o.Network.ExpertCount}×[{string.Join(",", o.Network.ExpertHiddenSizes)}], towers [{string.Join(",", o.Network.TowerHiddenSizes)}], " +
                $"dropout {o.Network.Dropout:F2}, lr {o.Training.LearningRate:G2}, wd {o.Training.WeightDecay:G2}, batch {o.Training.BatchSize}, {o.Training.LossWeighting}, {o.Training.Epochs} epochs";
            table.AppendLine($"| {dataset.Name} | {result.Trials.Count} ({result.Trials.Count(t => !t.Succeeded)}) | {options} | {defaultMean:F4} | {bestMean:F4} | {100 * delta:+0.00;-0.00}% |");
        }
        return table.ToString();
    }
}
