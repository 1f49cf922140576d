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
/// network, refitted per fold), printed as every metric's mean ± standard deviation and its value in each fold.
/// </summary>
internal static class CrossValidationRun
{
    public static int Run(IAnsiConsole console, string dataset, string[] labelArgs, string[] ignored, string? optionsPath, int folds, string? group,
        int seed, BadRowPolicy policy, CancellationToken cancellation)
    {
        var fileOptions = optionsPath is null ? new TrainCommand.OptionsFile() : TrainCommand.OptionsFile.Read(optionsPath);
        var ml = new MLContext(seed);
        var set = TrainingSet.Prepare(console, ml, dataset, labelArgs, ignored, policy, group);
        var options = fileOptions.ToMultiTaskOptions(set, seed);
        options.CancellationToken = cancellation;
        var pipeline = set.Featurizer(ml).Append(ml.MultiTask().Attention(options));
        // Read once: every fold would otherwise parse the file again for its training and its test rows.
        var data = ml.Data.Cache(set.Data);
        MultiTaskCrossValidationResult result;
        try
        {
            result = SplitOptions.Measure(() => ml.MultiTask().CrossValidate(data, pipeline, folds, group, seed, set.Tasks), $"--cv {folds}: a fold of {Path.GetFileName(dataset)}");
        }
        catch (ArgumentOutOfRangeException e) when (e.ParamName == "numberOfFolds")
        {
            throw SplitOptions.FoldsError(folds, e);
        }
        using (result)
            Write(console, result, $"{Path.GetFileName(dataset)}: {result.Split}");
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
}
