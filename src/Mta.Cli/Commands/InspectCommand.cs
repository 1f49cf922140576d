using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML;
using Mta.Cli.Models;
using Mta.MLNet;
using Mta.Models.Onnx;
using Spectre.Console;

namespace Mta.Cli.Commands;

/// <summary>
/// <c>mta inspect</c>: what a model file holds — tasks and classes, input columns, architecture and training options,
/// training summary, ONNX opset and sizes — read from the file alone.
/// </summary>
internal static class InspectCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var model = CommonOptions.Model();
        var command = new Command("inspect", "Describe a model file: tasks, inputs, architecture, options, ONNX, sizes.") { model };
        command.SetAction(parse => Run(console, parse.GetValue(model)!));
        return command;
    }

    private static int Run(IAnsiConsole console, string path)
    {
        using var file = ModelFile.Load(new MLContext(seed: 1), path, scoringBatchSize: 1024, ScoringDevice.Cpu);
        var multiTask = file.MultiTask;
        var metadata = OnnxModelMetadata.Read(multiTask.SingleRowOnnxModel);
        var header = OnnxModelMetadata.ReadHeader(multiTask.SingleRowOnnxModel);

        console.MarkupLine($"[bold]{Markup.Escape(Path.GetFullPath(path))}[/]  {Kib(new FileInfo(path).Length)}");
        var tasks = new Table { Title = new TableTitle("tasks") };
        tasks.AddColumns("task", "kind", "classes", "loss weight");
        for (int k = 0; k < multiTask.Tasks.Count; k++)
        {
            var task = multiTask.Tasks[k];
            string classes = task.ClassLabels is { } labels
                ? string.Join(", ", labels.Take(12)) + (labels.Count > 12 ? $", … ({labels.Count})" : "")
                : file.Info?.Labels.FirstOrDefault(l => l.Column == task.Name)?.Positive is string positive ? $"positive = {positive}" : "";
            string weight = k < multiTask.Report.LossWeights.Count ? multiTask.Report.LossWeights[k].ToString("F3", CultureInfo.InvariantCulture) : "";
            tasks.AddRow(Markup.Escape(task.Name), task.Kind.ToString(), Markup.Escape(classes), weight);
        }
        console.Write(tasks);

        var inputs = new Table { Title = new TableTitle("input columns") };
        inputs.AddColumns("column", "type", "role");
        foreach (var column in file.InputSchema.Where(c => !c.IsHidden))
            inputs.AddRow(Markup.Escape(column.Name), Markup.Escape(column.Type.ToString() ?? ""), Role(file.Info, multiTask, column.Name));
        console.Write(inputs);

        var about = new Table { Title = new TableTitle("model") };
        about.AddColumns("", "");
        about.AddRow("feature vector", $"'{Markup.Escape(multiTask.FeatureColumnName ?? "")}', {multiTask.FeatureCount} values");
        about.AddRow("network", Markup.Escape(Pretty(metadata.GetValueOrDefault(OnnxModelMetadata.NetworkOptionsKey))));
        about.AddRow("training", Markup.Escape(Pretty(metadata.GetValueOrDefault(OnnxModelMetadata.TrainingOptionsKey))));
        var history = multiTask.TrainingHistory;
        if (history.Count > 0)
        {
            var best = history.Where(h => h.IsBest).LastOrDefault() ?? history[^1];
            about.AddRow("trained", $"{history.Count} epochs, best epoch {best.Epoch}" +
                (best.ValidationLoss is double v ? $" (validation loss {v.ToString("F4", CultureInfo.InvariantCulture)})" : ""));
        }
        if (file.Info is { } info)
        {
            about.AddRow("data", Markup.Escape($"{info.Dataset}: {info.TrainingRows} training rows, {info.ValidationRows} held-out rows, trained {info.TrainedUtc:u}"));
            if (info.TrainedOn is not null)
                about.AddRow("trained on", Markup.Escape(info.TrainedOn));
            if (info.EvaluatedOn is not null)
                about.AddRow("metrics on", Markup.Escape(info.EvaluatedOn));
        }
        if (header is var (ir, opset, producer))
            about.AddRow("ONNX", $"opset {opset}, IR version {ir}, produced by {Markup.Escape(producer)}; format {Markup.Escape(metadata.GetValueOrDefault(OnnxModelMetadata.FormatVersionKey) ?? "?")}");
        about.AddRow("sizes", $"single-row ONNX {Kib(multiTask.SingleRowOnnxModel.Length)}, batched ONNX {Kib(multiTask.BatchedOnnxModel.Length)}");
        console.Write(about);
        return ExitCodes.Ok;
    }

    private static string Role(CliModelInfo? info, MultiTaskTransformer multiTask, string column)
    {
        if (multiTask.Tasks.Any(t => t.Name == column))
            return "label";
        if (info is null)
            return "";
        return info.NumericFeatures.Contains(column) ? "feature (numeric)" : info.TextFeatures.Contains(column) ? "feature (text, one-hot)" : "";
    }

    private static string Pretty(string? json)
    {
        if (json is null)
            return "?";
        using var document = JsonDocument.Parse(json);
        return string.Join(", ", document.RootElement.EnumerateObject().Select(p => $"{p.Name}={p.Value}"));
    }

    private static string Kib(long bytes) => $"{(bytes / 1024.0).ToString("F1", CultureInfo.InvariantCulture)} KiB";
}
