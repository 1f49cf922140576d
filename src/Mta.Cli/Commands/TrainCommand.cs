using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
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
/// rows (every row whose index % 5 != 4), prints each task's metrics on the other fifth, saves the model.
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
        var seed = new Option<int>("--seed") { Description = "Random seed (ML.NET context and training).", DefaultValueFactory = _ => 1 };
        var badRow = CommonOptions.BadRow();
        var separator = CommonOptions.Separator();
        var command = new Command("train", "Train one multi-task model on several label columns and save it.")
        {
            dataset, labels, ignore, options, output, seed, badRow, separator,
        };
        command.SetAction((parse, cancellation) => Task.FromResult(Run(console,
            DataFile.Of(parse.GetValue(dataset)!, parse.GetValue(separator)), parse.GetValue(labels)!, CommonOptions.SplitList(parse.GetValue(ignore)), parse.GetValue(options),
            parse.GetValue(output)!, parse.GetValue(seed), CommonOptions.ParseBadRow(parse.GetValue(badRow)!), cancellation)));
        return command;
    }

    private static int Run(IAnsiConsole console, DataFile dataset, string[] labelArgs, string[] ignored, string? optionsPath, string output,
        int seed, BadRowPolicy policy, CancellationToken cancellation)
    {
        var fileOptions = optionsPath is null ? new OptionsFile() : OptionsFile.Read(optionsPath);
        var ml = new MLContext(seed);
        var set = TrainingSet.Prepare(console, ml, dataset, labelArgs, ignored, policy);
        var (train, validation) = ml.MultiTask().SplitByRowIndex(set.Data);

        var training = (fileOptions.Training ?? new TrainingOptions()) with { Seed = fileOptions.Training?.Seed ?? seed };
        bool interactive = console.Profile.Capabilities.Interactive && !Console.IsOutputRedirected;
        var model = TrainingProgress.Run(console, interactive, training.Epochs, progress => set.Featurizer(ml).Append(ml.MultiTask().Attention(new MultiTaskOptions
        {
            FeatureColumnName = set.FeatureColumn,
            Tasks = [.. set.Tasks],
            Network = fileOptions.Network ?? new NetworkOptions(),
            Training = training,
            ScoringBatchSize = fileOptions.ScoringBatchSize ?? 1024,
            Streaming = fileOptions.Streaming ?? false,
            Progress = progress,
            CancellationToken = cancellation,
        })).Fit(train));

        var metrics = ml.MultiTask().Evaluate(model.Transform(validation), set.Tasks);
        MetricsTable.Write(console, metrics, "validation (rows whose index % 5 == 4)");
        if (set.BadRows.Count > 0)
            console.MarkupLine($"[yellow]Skipped {set.BadRows.Count} bad row(s)[/], e.g. {Markup.Escape(set.BadRows.First[0].Message)}");

        ModelFile.Save(ml, model, set.InputSchema(), set.Info(ignored, TrainingSet.CountRows(train), TrainingSet.CountRows(validation)), output);
        model.LastTransformer.Dispose();
        console.MarkupLine($"Saved [bold]{Markup.Escape(Path.GetFullPath(output))}[/] ({new FileInfo(output).Length / 1024.0:F0} KiB)");
        return ExitCodes.Ok;
    }

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

        public static OptionsFile Read(string path)
        {
            try
            {
                var options = JsonSerializer.Deserialize<OptionsFile>(File.ReadAllText(path), s_json) ?? new OptionsFile();
                options.Network?.Validate();
                options.Training?.Validate();
                return options;
            }
            catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                throw CliException.Usage($"--options '{path}': {e.Message}");
            }
        }
    }
}

/// <summary>Reports on the training thread, in order (Progress&lt;T&gt; would post to the thread pool).</summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
