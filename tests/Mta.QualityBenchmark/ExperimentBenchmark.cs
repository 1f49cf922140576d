using System.Text;
using Microsoft.ML;
using Mta.MLNet;
using Mta.MLNet.Evaluation;
using Mta.MLNet.Experiments;
using Mta.Models.Options;

namespace Mta.QualityBenchmark;

/// <summary>
/// Per data set, an experiment with a time budget on the protocol's train rows (trials scored on a seeded 20% sample
/// of them), the best trial's and the default options' metrics on the protocol's test rows, which no trial was scored
/// on (<see cref="ExperimentResult.TestMetrics"/>, <see cref="ExperimentResult.DefaultTestMetrics"/>), and the spread
/// of both option sets under k-fold cross-validation of the train rows, to tell a gain from the noise of one split.
/// </summary>
internal static class ExperimentBenchmark
{
    public static string Run(IReadOnlyList<DatasetSpec> datasets, int seconds, int folds, string dataFolder, TextWriter log)
    {
        var table = new StringBuilder();
        table.AppendLine($"Experiment budget {seconds} s per data set, successive halving, objective Δ vs defaults on the experiment's validation rows " +
            "(a seeded 20% sample of the protocol's train rows); test = the protocol's test rows (index % 5 == 4), which no trial was scored on. " +
            $"CV = {folds}-fold cross-validation of the protocol's train rows (seed 1), refitting each option set per fold: mean ± standard deviation over the folds. " +
            "Numbers are the mean main metric (AUC / macro-accuracy / R²) over tasks.");
        table.AppendLine();
        table.AppendLine($"| data set | trials (failed) | best trial's options | defaults: test | best: test | Δ test (mean over tasks) | defaults: {folds}-fold CV | best: {folds}-fold CV |");
        table.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var dataset in datasets)
        {
            var ml = new MLContext(seed: 1);
            var (train, test) = dataset.Load(ml, dataFolder);
            var tasks = dataset.Tasks.Select(t => new TaskColumn(t.Name)).ToList();
            log.WriteLine($"{dataset.Name}: experiment for {seconds} s...");
            var options = new MultiTaskExperimentOptions
            {
                TrainData = train,
                TestData = test,
                Tasks = tasks,
                TimeBudget = TimeSpan.FromSeconds(seconds),
                MaxTrials = 1000,
                // The trials' seed, explicit: the context's seed (1) would otherwise be the training seed.
                BaseTraining = new TrainingOptions { Seed = TrainingOptions.DefaultSeed },
            };
            ExperimentResult result;
            try
            {
                result = ml.MultiTask().Experiment(options).RunAsync().GetAwaiter().GetResult();
            }
            catch (InvalidOperationException e)
            {
                // The defaults' trial did not finish within the budget: a row says so rather than losing the other data sets.
                log.WriteLine($"{dataset.Name}: {e.Message}");
                table.AppendLine($"| {dataset.Name} | 0 | no trial finished within {seconds} s | | | | | |");
                continue;
            }
            result.Model.Dispose();
            log.WriteLine($"{dataset.Name}: {result.Split}");
            var bestMetrics = result.TestMetrics;
            var defaultMetrics = result.DefaultTestMetrics!;
            double bestMean = bestMetrics.Tasks.Average(t => t.Headline), defaultMean = defaultMetrics.Tasks.Average(t => t.Headline);
            double delta = bestMetrics.Tasks.Zip(defaultMetrics.Tasks, (b, d) => (b.Headline - d.Headline) / Math.Max(Math.Abs(d.Headline), 1e-12)).Average();
            var o = result.BestTrial;
            string chosen = o.Number == 1 ? "the defaults" :
                $"{o.Network.Architecture}, {o.Network.ExpertCount}×[{string.Join(",", o.Network.ExpertHiddenSizes)}], towers [{string.Join(",", o.Network.TowerHiddenSizes)}], " +
                $"dropout {o.Network.Dropout:F2}, lr {o.Training.LearningRate:G2}, wd {o.Training.WeightDecay:G2}, batch {o.Training.BatchSize}, {o.Training.LossWeighting}, {o.Training.Epochs} epochs";
            log.WriteLine($"{dataset.Name}: {folds}-fold CV of the defaults and of trial {o.Number}...");
            string defaultCv = CrossValidated(ml, train, tasks, options.BaseNetwork, options.BaseTraining, folds);
            string bestCv = o.Number == 1 ? defaultCv : CrossValidated(ml, train, tasks, o.Network, o.Training, folds);
            string row = $"| {dataset.Name} | {result.Trials.Count} ({result.Trials.Count(t => !t.Succeeded)}) | {chosen} | {defaultMean:F4} | {bestMean:F4} | {100 * delta:+0.00;-0.00}% | {defaultCv} | {bestCv} |";
            log.WriteLine(row);
            table.AppendLine(row);
        }
        return table.ToString();
    }

    /// <summary>Mean ± sd over the folds of the fold's mean main metric over tasks.</summary>
    private static string CrossValidated(MLContext ml, IDataView data, IReadOnlyList<TaskColumn> tasks, NetworkOptions network, TrainingOptions training, int folds)
    {
        var estimator = ml.MultiTask().Attention(new MultiTaskOptions { Tasks = [.. tasks], Network = network, Training = training });
        using var cv = ml.MultiTask().CrossValidate(data, estimator, folds, seed: 1);
        var perFold = cv.Folds.Select(f => f.Metrics.Tasks.Average(t => t.Headline)).ToArray();
        double mean = perFold.Average();
        double sd = Math.Sqrt(perFold.Sum(v => (v - mean) * (v - mean)) / (perFold.Length - 1));
        return $"{mean:F4} ± {sd:F4}";
    }
}
