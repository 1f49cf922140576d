using System.Globalization;
using Microsoft.ML;
using Mta.Cli.Data;
using Mta.Cli.Models;
using Mta.MLNet;
using Mta.MLNet.Evaluation;
using Spectre.Console;

namespace Mta.Cli.Commands;

/// <summary>
/// <c>mta evaluate --cv K</c>: k-fold cross-validation of the pipeline <c>mta train</c> would fit (featurizer and
/// network, refitted per fold), printed as every metric's mean ± standard deviation and its value in each fold,
/// or as one JSON document (--json).
/// </summary>
internal static class CrossValidationRun
{
    public static int Run(IAnsiConsole console, DataFile dataset, string[] labelArgs, string[] ignored, string? optionsPath, int folds, string? group,
        int seed, BadRowPolicy policy, bool json, CancellationToken cancellation)
    {
        // With --json, stdout holds the document alone: what the column inference notes goes to stderr.
        var notes = json ? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }) : console;
        var fileOptions = optionsPath is null ? new TrainCommand.OptionsFile() : TrainCommand.OptionsFile.Read(optionsPath);
        var ml = new MLContext(seed);
        var set = TrainingSet.Prepare(notes, ml, dataset, labelArgs, ignored, policy, group);
        var options = fileOptions.ToMultiTaskOptions(set, seed);
        options.CancellationToken = cancellation;
        var pipeline = set.Featurizer(ml).Append(ml.MultiTask().Attention(options));
        // Read once: every fold would otherwise parse the file again for its training and its test rows.
        var data = ml.Data.Cache(set.Data);
        string file = Path.GetFileName(dataset.Path);
        MultiTaskCrossValidationResult result;
        try
        {
            result = SplitOptions.Measure(() => ml.MultiTask().CrossValidate(data, pipeline, folds, group, seed, set.Tasks), $"--cv {folds}: a fold of {file}");
        }
        catch (ArgumentOutOfRangeException e) when (e.ParamName == "numberOfFolds")
        {
            throw SplitOptions.FoldsError(folds, e);
        }
        using (result)
        {
            if (json)
            {
                JsonOutput.Write(new CrossValidationJson(dataset.Path, result.Split, set.BadRows.Count,
                    result.Folds.Select(f => new FoldJson(f.Fold + 1, f.TrainingRows, f.TestRows)).ToArray(), result.Summary));
                return ExitCodes.Ok;
            }
            Write(console, result, $"{file}: {result.Split}");
        }
        if (set.BadRows.Count > 0)
            console.MarkupLine($"[yellow]Skipped {set.BadRows.Count} bad row(s)[/], e.g. {Markup.Escape(set.BadRows.First[0].Message)}");
        return ExitCodes.Ok;
    }

    public static void Write(IAnsiConsole console, MultiTaskCrossValidationResult result, string title)
    {
        string F(double v) => v.ToString("F4", CultureInfo.InvariantCulture);
        var table = new Table { Title = new TableTitle(Markup.Escape(title)) };
        table.AddColumns("task", "metric", "mean", "± sd");
        foreach (var fold in result.Folds)
            table.AddColumn($"fold {fold.Fold + 1} ({fold.TestRows} rows)");
        foreach (var metric in result.Summary)
            table.AddRow([Markup.Escape(metric.Task), metric.Metric, F(metric.Mean), F(metric.StandardDeviation), .. metric.PerFold.Select(F)]);
        console.Write(table);
    }

    /// <summary>The --json document: how the rows were split, each fold's row counts, every metric over the folds.</summary>
    private sealed record CrossValidationJson(string Dataset, string Split, long BadRowsSkipped, IReadOnlyList<FoldJson> Folds, IReadOnlyList<MetricSummary> Metrics);

    /// <param name="Fold">1-based, as the table numbers the folds.</param>
    private sealed record FoldJson(int Fold, int TrainingRows, int TestRows);
}
