using System.CommandLine;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Mta.Cli.Data;
using Mta.Cli.Models;
using Mta.MLNet;
using Mta.MLNet.Experiments;
using Mta.Models.Options;
using Spectre.Console;

namespace Mta.Cli.Commands;

/// <summary>
/// <c>mta experiment</c>: an AutoML-style search (<c>mlContext.MultiTask().Experiment</c>) over the network's options
/// within a time budget, a table of the finished trials, the best trial's and the defaults' metrics on test rows no
/// trial was scored on, and the best model saved like <c>mta train</c> saves one.
/// </summary>
internal static class ExperimentCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var dataset = new Option<string>("--dataset") { Description = "Training data: CSV with a header row (tab separated for .tsv; see --separator), or .parquet.", Required = true };
        var labels = new Option<string[]>("--label") { Description = "A label column, one task each (as for `mta train`).", Required = true };
        var ignore = new Option<string[]>("--ignore") { Description = "Columns that are not features, comma separated or repeated." };
        var time = new Option<int>("--time") { Description = "Time budget in seconds.", DefaultValueFactory = _ => 300 };
        var maxTrials = new Option<int>("--max-trials") { Description = "At most this many trials.", DefaultValueFactory = _ => 50 };
        var tuner = CommonOptions.Choice("--tuner", "halving (successive halving) or random.", "halving", "halving", "random");
        var options = new Option<string?>("--options") { Description = "JSON file with the base \"Network\" and \"Training\" options (the first trial; Training.Epochs is a trial's full budget)." };
        var output = new Option<string>("--output") { Description = "Model file to write (.zip): the best trial's model.", Required = true };
        var seed = new Option<int>("--seed") { Description = "Seed of the tuner and of training. The default is train's (the library's default training seed).", DefaultValueFactory = _ => TrainingOptions.DefaultSeed };
        var badRow = CommonOptions.BadRow();
        var separator = CommonOptions.Separator();
        var cv = SplitOptions.Cv("Score each trial by its mean over K folds of the training rows (each trial trains K times within the same --time).");
        var group = SplitOptions.Group();
        var command = new Command("experiment", "Search the multi-task network's options within a time budget and save the best model.")
        {
            dataset, labels, ignore, time, maxTrials, tuner, options, output, seed, badRow, separator, cv, group,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            // The parser accepts only halving and random.
            var kind = parse.GetValue(tuner)!.Equals("random", StringComparison.OrdinalIgnoreCase) ? ExperimentTuner.RandomSearch : ExperimentTuner.SuccessiveHalving;
            if (parse.GetValue(time) < 1 || parse.GetValue(maxTrials) < 1)
                throw CliException.Usage("--time and --max-trials must be at least 1.");
            int folds = SplitOptions.CheckFolds(parse.GetValue(cv)) ?? 0;
            return await Run(console, DataFile.Of(parse.GetValue(dataset)!, parse.GetValue(separator)), parse.GetValue(labels)!, CommonOptions.SplitList(parse.GetValue(ignore)),
                TimeSpan.FromSeconds(parse.GetValue(time)), parse.GetValue(maxTrials), kind, parse.GetValue(options), parse.GetValue(output)!,
                parse.GetValue(seed), CommonOptions.ParseBadRow(parse.GetValue(badRow)!), new Protocol(folds, parse.GetValue(group)), cancellation).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>--cv (0 = one validation sample) and --group.</summary>
    private sealed record Protocol(int Folds, string? Group);

    private static async Task<int> Run(IAnsiConsole console, DataFile dataset, string[] labelArgs, string[] ignored, TimeSpan budget, int maxTrials,
        ExperimentTuner tuner, string? optionsPath, string output, int seed, BadRowPolicy policy, Protocol protocol, CancellationToken cancellation)
    {
        var baseOptions = optionsPath is null ? new TrainCommand.OptionsFile() : TrainCommand.OptionsFile.Read(optionsPath);
        var ml = new MLContext(seed);
        var set = TrainingSet.Prepare(console, ml, dataset, labelArgs, ignored, policy, protocol.Group);
        // The featurizer learns only the text columns' vocabularies (no labels); it is fitted once and shared by every trial.
        var featurizer = set.Featurizer(ml).Fit(set.Data);
        // Cached: the splits and every trial read the rows again.
        var featurized = ml.Data.Cache(featurizer.Transform(set.Data));
        console.MarkupLine($"Searching for {budget.TotalSeconds:F0} s (at most {maxTrials} trials, {tuner}); " +
            (protocol.Folds >= 2 ? $"each trial is scored by its mean over {protocol.Folds} folds" : "trials are scored on validation rows") +
            ", the best is then tested on rows no trial was scored on.");

        bool interactive = console.Profile.Capabilities.Interactive && !Console.IsOutputRedirected;
        ExperimentResult result;
        try
        {
            result = await TrialTable.Show(console, interactive, report => ml.MultiTask().Experiment(new MultiTaskExperimentOptions
            {
                FeatureColumnName = set.FeatureColumn,
                Tasks = [.. set.Tasks],
                TrainData = featurized,
                TimeBudget = budget,
                MaxTrials = maxTrials,
                Tuner = tuner,
                Seed = seed,
                CrossValidationFolds = protocol.Folds,
                GroupColumnName = protocol.Group,
                BaseNetwork = baseOptions.Network ?? new NetworkOptions(),
                BaseTraining = (baseOptions.Training ?? new TrainingOptions()) with { Seed = baseOptions.Training?.Seed ?? seed },
                Progress = new SyncProgress<TrialResult>(report),
            }).RunAsync(cancellation)).ConfigureAwait(false);
        }
        catch (ArgumentOutOfRangeException e) when (e.ParamName == "numberOfFolds")
        {
            throw SplitOptions.FoldsError(protocol.Folds, e);
        }

        var best = result.BestTrial;
        console.MarkupLine($"Best: trial {best.Number} of {result.Trials.Count} ({result.Trials.Count(t => !t.Succeeded)} failed){(result.Cancelled ? ", stopped early" : "")}, " +
            $"by its validation score, the highest of {result.Trials.Count(t => t.Succeeded)} and so optimistic; the table below measures it afresh.");
        console.MarkupLine($"Rows: {Markup.Escape(result.Split)}.");
        ComparisonTable.Write(console, result.DefaultTestMetrics, result.TestMetrics, $"best (trial {best.Number})",
            $"test metrics on {result.TestRows} rows no trial was scored on");
        var model = new TransformerChain<ITransformer>(featurizer, result.Model);
        string trainedOn = $"{result.TrainingRows} rows of {Path.GetFileName(dataset.Path)}, the experiment's training rows ({result.Split})";
        ModelFile.Save(ml, model, set.InputSchema(), set.Info(ignored, result.TrainingRows, result.TestRows, trainedOn, $"the experiment's {result.TestRows} test rows"), output);
        result.Model.Dispose();
        console.MarkupLine($"Saved [bold]{Markup.Escape(Path.GetFullPath(output))}[/]");
        return ExitCodes.Ok;
    }
}
