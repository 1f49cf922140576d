using System.CommandLine;
using System.Globalization;
using Microsoft.ML;
using Mta.Cli.Models;
using Mta.MLNet;
using Spectre.Console;

namespace Mta.Cli.Commands;

/// <summary>
/// <c>mta inspect</c>: what a model file holds — tasks and classes, input columns, architecture and training options,
/// training summary, ONNX opset and sizes — read from the file alone (see <see cref="ModelReport"/>).
/// </summary>
internal static class InspectCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var model = CommonOptions.Model();
        var json = JsonOutput.Flag();
        var command = new Command("inspect", "Describe a model file: tasks, inputs, architecture, options, ONNX, sizes.") { model, json };
        command.SetAction(parse => Run(console, parse.GetValue(model)!, parse.GetValue(json)));
        return command;
    }

    private static int Run(IAnsiConsole console, string path, bool json)
    {
        ModelReport report;
        using (var file = ModelFile.Load(new MLContext(seed: 1), path, scoringBatchSize: 1024, ScoringDevice.Cpu))
            report = ModelReport.Of(path, file);
        if (json)
            JsonOutput.Write(report);
        else
            Write(console, report);
        return ExitCodes.Ok;
    }

    private static void Write(IAnsiConsole console, ModelReport report)
    {
        console.MarkupLine($"[bold]{Markup.Escape(report.Path)}[/]  {ModelReport.Kib(report.Bytes)}");
        var tasks = new Table { Title = new TableTitle("tasks") };
        tasks.AddColumns("task", "kind", "classes", "loss weight");
        foreach (var task in report.Tasks)
        {
            string classes = task.Classes is { } labels
                ? string.Join(", ", labels.Take(12)) + (labels.Count > 12 ? $", … ({labels.Count})" : "")
                : task.Positive is string positive ? $"positive = {positive}" : "";
            tasks.AddRow(Markup.Escape(task.Name), task.Kind, Markup.Escape(classes), task.LossWeight?.ToString("F3", CultureInfo.InvariantCulture) ?? "");
        }
        console.Write(tasks);

        var inputs = new Table { Title = new TableTitle("input columns") };
        inputs.AddColumns("column", "type", "role");
        foreach (var column in report.Inputs)
            inputs.AddRow(Markup.Escape(column.Column), Markup.Escape(column.Type), column.Role);
        console.Write(inputs);

        var about = new Table { Title = new TableTitle("model") };
        about.AddColumns("", "");
        about.AddRow("feature vector", $"'{Markup.Escape(report.FeatureColumn ?? "")}', {report.FeatureCount} values");
        if (report.FeatureColumns is { } columns)
            about.AddRow("features", Markup.Escape(string.Join(", ", columns.Take(20)) + (columns.Count > 20 ? $", … ({columns.Count})" : "") + " (in this order)"));
        about.AddRow("network", Markup.Escape(ModelReport.Pretty(report.Network)));
        about.AddRow("training", Markup.Escape(ModelReport.Pretty(report.Training)));
        if (report.History is { } history)
            about.AddRow("trained", $"{history.Epochs} epochs, best epoch {history.BestEpoch}" +
                (history.BestValidationLoss is double v ? $" (validation loss {v.ToString("F4", CultureInfo.InvariantCulture)})" : ""));
        if (report.Data is { } data)
        {
            about.AddRow("data", Markup.Escape($"{data.Dataset}: {data.TrainingRows} training rows, {data.ValidationRows} held-out rows, trained {data.TrainedUtc:u}"));
            if (data.TrainedOn is not null)
                about.AddRow("trained on", Markup.Escape(data.TrainedOn));
            if (data.EvaluatedOn is not null)
                about.AddRow("metrics on", Markup.Escape(data.EvaluatedOn));
        }
        if (report.Onnx is { } onnx)
            about.AddRow("ONNX", $"opset {onnx.Opset}, IR version {onnx.IrVersion}, produced by {Markup.Escape(onnx.Producer)}; format {Markup.Escape(onnx.Format ?? "?")}");
        about.AddRow("sizes", $"single-row ONNX {ModelReport.Kib(report.SingleRowOnnxBytes)}, batched ONNX {ModelReport.Kib(report.BatchedOnnxBytes)}");
        console.Write(about);
    }
}
