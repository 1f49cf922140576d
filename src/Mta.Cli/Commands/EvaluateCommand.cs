using System.CommandLine;
using Microsoft.ML;
using Mta.Cli.Data;
using Mta.Cli.Models;
using Mta.MLNet;
using Spectre.Console;

namespace Mta.Cli.Commands;

/// <summary><c>mta evaluate</c>: scores a labelled file and prints each task's metrics (ML.NET's evaluators).</summary>
internal static class EvaluateCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var model = CommonOptions.Model();
        var dataset = new Option<string>("--dataset") { Description = "Labelled data: CSV with a header row (tab separated for .tsv; see --separator), or .parquet.", Required = true };
        var badRow = CommonOptions.BadRow();
        var separator = CommonOptions.Separator();
        var json = JsonOutput.Flag();
        var command = new Command("evaluate", "Print each task's metrics on a labelled data file.") { model, dataset, badRow, separator, json };
        command.SetAction(parse => Run(console, parse.GetValue(model)!, DataFile.Of(parse.GetValue(dataset)!, parse.GetValue(separator)),
            CommonOptions.ParseBadRow(parse.GetValue(badRow)!), parse.GetValue(json)));
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
