using System.CommandLine;
using Microsoft.ML;
using Mta.Cli.Data;
using Mta.Cli.Models;
using Mta.MLNet;
using Mta.Models.Options;
using Spectre.Console;

namespace Mta.Cli.Commands;

/// <summary>
/// <c>mta evaluate</c>: scores a labelled file and prints each task's metrics (ML.NET's evaluators); with <c>--cv K</c>,
/// cross-validates training on the file instead (see <see cref="CrossValidationRun"/>).
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var model = CommonOptions.Model();
        // Not required with --cv, which trains its own models; checked below.
        model.Required = false;
        var dataset = new Option<string>("--dataset") { Description = "Labelled data: CSV with a header row (tab separated for .tsv; see --separator), or .parquet.", Required = true };
        var badRow = CommonOptions.BadRow();
        var separator = CommonOptions.Separator();
        var json = JsonOutput.Flag();
        var cv = SplitOptions.Cv("Instead of scoring --model: cross-validate training on --dataset with K folds and print every metric's mean ± standard deviation.");
        var labels = new Option<string[]>("--label") { Description = "With --cv: a label column, one task each (as for `mta train`)." };
        var ignore = new Option<string[]>("--ignore") { Description = "With --cv: columns that are not features, comma separated or repeated." };
        var options = new Option<string?>("--options") { Description = "With --cv: JSON file with \"Network\" and \"Training\" options (as for `mta train`)." };
        var group = SplitOptions.Group();
        var seed = new Option<int>("--seed") { Description = "With --cv: seed of the folds and of training. The default is train's (the library's default training seed).", DefaultValueFactory = _ => TrainingOptions.DefaultSeed };
        var command = new Command("evaluate", "Print each task's metrics on a labelled data file, or cross-validate training on it (--cv).")
        {
            model, dataset, badRow, separator, json, cv, labels, ignore, options, group, seed,
        };
        command.SetAction((parse, cancellation) =>
        {
            var policy = CommonOptions.ParseBadRow(parse.GetValue(badRow)!);
            var data = DataFile.Of(parse.GetValue(dataset)!, parse.GetValue(separator));
            if (SplitOptions.CheckFolds(parse.GetValue(cv)) is int folds)
            {
                if (parse.GetValue(model) is not null)
                    throw CliException.Usage("--cv trains its own models: leave out --model.");
                if (parse.GetValue(labels) is not { Length: > 0 } labelArgs)
                    throw CliException.Usage("--cv needs the label columns: --label NAME (one per task).");
                return Task.FromResult(CrossValidationRun.Run(console, data, labelArgs, CommonOptions.SplitList(parse.GetValue(ignore)),
                    parse.GetValue(options), folds, parse.GetValue(group), parse.GetValue(seed), policy, parse.GetValue(json), cancellation));
            }
            if (parse.GetValue(model) is not string modelPath)
                throw CliException.Usage("Option '--model' is required (or --cv K with --label to cross-validate).");
            if (parse.GetValue(labels) is { Length: > 0 } || parse.GetValue(group) is not null)
                throw CliException.Usage("--label and --group are for --cv; a model's labels come from the model.");
            return Task.FromResult(Run(console, modelPath, data, policy, parse.GetValue(json)));
        });
        return command;
    }

    private static int Run(IAnsiConsole console, string modelPath, DataFile dataset, BadRowPolicy policy, bool json)
    {
        var ml = new MLContext(seed: 1);
        using var model = ModelFile.Load(ml, modelPath, scoringBatchSize: 1024, ScoringDevice.Cpu);
        var labels = LabelsOf(model);
        var fileColumns = TableReader.ColumnNamesOf(dataset);
        var missing = labels.Where(l => !fileColumns.Contains(l.Column)).Select(l => $"'{l.Column}'").ToArray();
        if (missing.Length > 0)
            throw CliException.BadInput($"{dataset}: label column(s) {string.Join(", ", missing)} not found. The file has: {string.Join(", ", fileColumns)}.");
        var requests = model.RequestsFor(fileColumns, dataset.Path).Where(r => labels.All(l => l.Column != r.Name)).Concat(labels.Select(Labels.Request)).ToArray();
        var badRows = new BadRowLog();
        var data = Labels.ToKeys(ml, new TableDataView(dataset, requests, RowFilter.All, policy, badRows), labels);
        var metrics = ml.MultiTask().Evaluate(model.Model.Transform(data), labels.Select(Labels.Task));
        if (json)
        {
            JsonOutput.Write(new EvaluationJson(dataset.Path, badRows.Count, metrics.Tasks.Select(t =>
                new TaskMetricsJson(t.Task, t.Kind.ToString(), MetricsTable.Rows(t).ToDictionary(r => r.Name, r => r.Value))).ToArray()));
            return ExitCodes.Ok;
        }
        MetricsTable.Write(console, metrics, Path.GetFileName(dataset.Path));
        if (badRows.Count > 0)
            console.MarkupLine($"[yellow]Skipped {badRows.Count} bad row(s)[/] (each evaluator pass reads the file again), e.g. {Markup.Escape(badRows.First[0].Message)}");
        return ExitCodes.Ok;
    }

    /// <summary>
    /// How to read the labels: as `mta train` recorded them; for a model saved by other code, from the tasks
    /// (binary labels then must be 1/0, true/false, t/f, yes/no or y/n).
    /// </summary>
    private static IReadOnlyList<ResolvedLabel> LabelsOf(ModelFile model) => model.Info?.Labels
        ?? model.MultiTask.Tasks.Select(t => new ResolvedLabel(t.Name, t.Kind, null, t.ClassLabels)).ToArray();

    /// <summary>The --json document: the metrics of every task on the file (bad rows counted once per evaluator pass).</summary>
    private sealed record EvaluationJson(string Dataset, long BadRowsSkipped, IReadOnlyList<TaskMetricsJson> Tasks);

    private sealed record TaskMetricsJson(string Task, string Kind, IReadOnlyDictionary<string, double> Metrics);
}
