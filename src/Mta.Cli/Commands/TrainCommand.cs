using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.ML;
using Microsoft.ML.Data;
using Mta.Cli.Data;
using Mta.Cli.Models;
using Mta.MLNet;
using Mta.Models.Options;
using Mta.Models.Training;
using Spectre.Console;

namespace Mta.Cli.Commands;

/// <summary>
/// <c>mta train</c>: infers column types, one-hot encodes text columns, trains one multi-task model on 4/5 of the
/// rows (every row whose index % 5 != 4; or all but a seeded --holdout sample; or all rows with --test-dataset),
/// prints each task's metrics on the rows held out, optionally refits on every row (--refit), saves the model.
/// </summary>
internal static class TrainCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var dataset = new Option<string>("--dataset") { Description = "Training data: CSV with a header row (tab separated for .tsv; see --separator), or .parquet.", Required = true };
        var labels = new Option<string[]>("--label")
        {
            Description = "A label column, one task each: name, name:binary|multiclass|regression, or name:binary=positiveValue. Repeat for each task.",
            Required = true,
        };
        var ignore = new Option<string[]>("--ignore") { Description = "Columns that are not features (ids, leakage), comma separated or repeated." };
        var options = new Option<string?>("--options") { Description = "JSON file with \"Network\" and \"Training\" options (see MultiTaskOptions), e.g. {\"Training\": {\"Epochs\": 30}}." };
        var output = new Option<string>("--output") { Description = "Model file to write (.zip).", Required = true };
        var seed = new Option<int>("--seed")
        {
            Description = "Random seed of the ML.NET context, the --holdout sample and training (unless --options sets Training.Seed). " +
                "The default is the library's default training seed: with no --options, train fits the model mlContext.MultiTask().Attention() fits with default options.",
            // The library's default, so that the tool's default model is the library's default model.
            DefaultValueFactory = _ => TrainingOptions.DefaultSeed,
        };
        var testDataset = new Option<string?>("--test-dataset")
        {
            Description = "Report the metrics on this file (same columns as --dataset) and train on every row of --dataset.",
        };
        var holdout = new Option<double?>("--holdout")
        {
            Description = "Hold out a seeded sample of this share of the rows (0 to 1) for the metrics. Default: every 5th row by index (index % 5 == 4).",
        };
        var refit = new Option<bool>("--refit")
        {
            Description = "After reporting, train the saved model on every row with the same options for the epoch count early stopping chose.",
        };
        var badRow = CommonOptions.BadRow();
        var separator = CommonOptions.Separator();
        var command = new Command("train", "Train one multi-task model on several label columns and save it.")
        {
            dataset, labels, ignore, options, output, seed, badRow, separator, testDataset, holdout, refit,
        };
        command.SetAction((parse, cancellation) =>
        {
            char? separatorChar = parse.GetValue(separator);
            return Task.FromResult(Run(console,
                DataFile.Of(parse.GetValue(dataset)!, separatorChar), parse.GetValue(labels)!, CommonOptions.SplitList(parse.GetValue(ignore)), parse.GetValue(options),
                parse.GetValue(output)!, parse.GetValue(seed), CommonOptions.ParseBadRow(parse.GetValue(badRow)!),
                new RowChoice(parse.GetValue(testDataset) is string test ? DataFile.Of(test, separatorChar) : null, parse.GetValue(holdout), parse.GetValue(refit)),
                cancellation));
        });
        return command;
    }

    /// <summary>--test-dataset (read with the same --separator, or tab for a .tsv), --holdout, --refit.</summary>
    private sealed record RowChoice(DataFile? TestDataset, double? Holdout, bool Refit)
    {
        public void Check()
        {
            if (Refit && TestDataset is not null)
                throw CliException.Usage("--refit cannot be used with --test-dataset: with a test file the model is already trained on every row of --dataset.");
            if (Holdout is not null && TestDataset is not null)
                throw CliException.Usage("--holdout cannot be used with --test-dataset: the metrics are reported on the test file.");
            if (Holdout is double h && !(h > 0 && h < 1))
                throw CliException.Usage($"--holdout {h.ToString(CultureInfo.InvariantCulture)}: the share held out must be between 0 and 1 (exclusive).");
        }
    }

    private static int Run(IAnsiConsole console, DataFile dataset, string[] labelArgs, string[] ignored, string? optionsPath, string output,
        int seed, BadRowPolicy policy, RowChoice choice, CancellationToken cancellation)
    {
        choice.Check();
        var fileOptions = optionsPath is null ? new OptionsFile() : OptionsFile.Read(optionsPath);
        var ml = new MLContext(seed);
        var set = TrainingSet.Prepare(console, ml, dataset, labelArgs, ignored, policy);
        var rows = TrainRows.Choose(ml, set, choice.TestDataset, choice.Holdout, seed, policy);
        // Classes numbered as ML.NET's MapValueToKey numbers them on the training rows, so that the network is the one
        // the library trains on them (see Labels.InTrainingOrder); the rows are chosen again on the re-keyed labels.
        var labels = Labels.InTrainingOrder(rows.Train, set.Inferred.Labels);
        if (!labels.Zip(set.Inferred.Labels).All(p => p.First.Classes is null || p.First.Classes.SequenceEqual(p.Second.Classes!)))
        {
            set = set.WithLabels(ml, labels);
            rows = TrainRows.Choose(ml, set, choice.TestDataset, choice.Holdout, seed, policy);
        }

        var estimatorOptions = fileOptions.ToMultiTaskOptions(set, seed);
        estimatorOptions.CancellationToken = cancellation;
        bool interactive = console.Profile.Capabilities.Interactive && !Console.IsOutputRedirected;
        var model = Fit(console, interactive, ml, set, estimatorOptions, rows.Train);

        var metrics = SplitOptions.Measure(() => ml.MultiTask().Evaluate(model.Transform(rows.Report), set.Tasks), rows.ReportedOn);
        MetricsTable.Write(console, metrics, $"held out: {rows.ReportedOn}");
        if (set.BadRows.Count > 0)
            console.MarkupLine($"[yellow]Skipped {set.BadRows.Count} bad row(s)[/], e.g. {Markup.Escape(set.BadRows.First[0].Message)}");

        string trainedOn = rows.TrainedOn;
        int trainingRows = rows.TrainingRows;
        if (choice.Refit)
        {
            var history = model.LastTransformer.TrainingHistory;
            int epochs = (history.Where(h => h.IsBest).LastOrDefault() ?? history[^1]).Epoch;
            model.LastTransformer.Dispose();
            trainingRows = TrainingSet.CountRows(set.Data);
            console.MarkupLine($"Refitting on all {trainingRows} rows for {epochs} epochs (the best epoch above), without early stopping:");
            // Every row trains: nothing is held out for early stopping, so the epoch count is the one chosen above.
            estimatorOptions.Training = estimatorOptions.Training with { Epochs = epochs, ValidationFraction = 0, EarlyStoppingPatience = 0 };
            model = Fit(console, interactive, ml, set, estimatorOptions, set.Data);
            trainedOn = $"all {trainingRows} rows of {Path.GetFileName(dataset.Path)} (--refit: {epochs} epochs, the best epoch when trained on {rows.TrainedOn})";
            console.MarkupLine("The metrics above are those of the model before refitting; the saved model has seen every row, so no rows of this file measure it.");
        }

        ModelFile.Save(ml, model, set.InputSchema(), set.Info(ignored, trainingRows, rows.ReportRows, trainedOn, rows.ReportedOn), output);
        model.LastTransformer.Dispose();
        console.MarkupLine($"Trained on {Markup.Escape(trainedOn)}.");
        console.MarkupLine($"Saved [bold]{Markup.Escape(Path.GetFullPath(output))}[/] ({new FileInfo(output).Length / 1024.0:F0} KiB)");
        return ExitCodes.Ok;
    }

    /// <summary>The featurizer and the network fitted on <paramref name="rows"/>, each epoch shown as it finishes.</summary>
    private static TransformerChain<MultiTaskTransformer> Fit(IAnsiConsole console, bool interactive, MLContext ml, TrainingSet set, MultiTaskOptions options, IDataView rows) =>
        TrainingProgress.Run(console, interactive, options.Training.Epochs, progress =>
        {
            options.Progress = progress;
            return set.Featurizer(ml).Append(ml.MultiTask().Attention(options)).Fit(rows);
        });

    /// <summary>The --options file: any of the estimator's option groups, unknown names rejected.</summary>
    internal sealed class OptionsFile
    {
        private static readonly JsonSerializerOptions s_json = new()
        {
            Converters = { new JsonStringEnumConverter() },
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        };

        public NetworkOptions? Network { get; set; }

        public TrainingOptions? Training { get; set; }

        public int? ScoringBatchSize { get; set; }

        public bool? Streaming { get; set; }

        /// <summary>The estimator's options for a training set: this file's groups, the seed when the file sets none.</summary>
        public MultiTaskOptions ToMultiTaskOptions(TrainingSet set, int seed) => new()
        {
            FeatureColumnName = set.FeatureColumn,
            Tasks = [.. set.Tasks],
            Network = Network ?? new NetworkOptions(),
            Training = (Training ?? new TrainingOptions()) with { Seed = Training?.Seed ?? seed },
            ScoringBatchSize = ScoringBatchSize ?? 1024,
            Streaming = Streaming ?? false,
        };

        public static OptionsFile Read(string path)
        {
            try
            {
                string json = File.ReadAllText(path);
                MovedNetworkOptions.Reject(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
                var options = JsonSerializer.Deserialize<OptionsFile>(json, s_json) ?? new OptionsFile();
                options.Network?.Validate();
                options.Training?.Validate();
                return options;
            }
            catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                throw CliException.Usage($"--options '{path}': {EnumChoices(e) ?? e.Message}");
            }
        }

        /// <summary>
        /// For a value that is not a name of the option's enum, the option and its choices (System.Text.Json's own
        /// message names only the type).
        /// </summary>
        private static string? EnumChoices(Exception e)
        {
            if (e is not JsonException { Path: { } jsonPath } || Regex.Match(e.Message, @"converted to ([\w.]+)\.") is not { Success: true } match)
                return null;
            var type = typeof(NetworkOptions).Assembly.GetType(match.Groups[1].Value);
            if (type is not { IsEnum: true })
                return null;
            string option = jsonPath.TrimStart('$', '.');
            long line = (((JsonException)e).LineNumber ?? 0) + 1;
            return $"{option} must be one of {string.Join(", ", Enum.GetNames(type))} (line {line}).";
        }
    }
}

/// <summary>Reports on the training thread, in order (Progress&lt;T&gt; would post to the thread pool).</summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
