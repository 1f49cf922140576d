using System.Globalization;
using System.Text.Json;
using Mta.Cli.Models;
using Mta.Models.Onnx;

namespace Mta.Cli.Commands;

/// <summary>What <c>mta inspect</c> says about a model file, read from the file alone; shown as tables or as --json.</summary>
/// <param name="FeatureColumns">The columns concatenated into the feature vector, in order (text ones one-hot); null for a model not saved by the tool.</param>
internal sealed record ModelReport(
    string Path,
    long Bytes,
    IReadOnlyList<ModelReport.TaskInfo> Tasks,
    IReadOnlyList<ModelReport.InputInfo> Inputs,
    string? FeatureColumn,
    int FeatureCount,
    IReadOnlyList<string>? FeatureColumns,
    JsonElement? Network,
    JsonElement? Training,
    ModelReport.HistoryInfo? History,
    ModelReport.DataInfo? Data,
    ModelReport.OnnxInfo? Onnx,
    long SingleRowOnnxBytes,
    long BatchedOnnxBytes)
{
    public sealed record TaskInfo(string Name, string Kind, IReadOnlyList<string>? Classes, string? Positive, double? LossWeight);

    public sealed record InputInfo(string Column, string Type, string Role);

    public sealed record HistoryInfo(int Epochs, int BestEpoch, double? BestValidationLoss);

    /// <param name="ValidationRows">The rows held out to measure the model (a validation sample, a test file, test rows).</param>
    /// <param name="TrainedOn">Which rows the model learned from, in words; null in files written before it was recorded.</param>
    /// <param name="EvaluatedOn">Which rows the metrics printed at training came from, in words; null as for <paramref name="TrainedOn"/>.</param>
    public sealed record DataInfo(string Dataset, int TrainingRows, int ValidationRows, DateTimeOffset TrainedUtc, string? TrainedOn, string? EvaluatedOn);

    public sealed record OnnxInfo(long Opset, long IrVersion, string Producer, string? Format);

    public static ModelReport Of(string path, ModelFile file)
    {
        var multiTask = file.MultiTask;
        var metadata = OnnxModelMetadata.Read(multiTask.SingleRowOnnxModel);
        var tasks = multiTask.Tasks.Select((task, k) => new TaskInfo(task.Name, task.Kind.ToString(), task.ClassLabels,
            file.Info?.Labels.FirstOrDefault(l => l.Column == task.Name)?.Positive,
            k < multiTask.Report.LossWeights.Count ? multiTask.Report.LossWeights[k] : null)).ToArray();
        var inputs = file.InputSchema.Where(c => !c.IsHidden)
            .Select(c => new InputInfo(c.Name, c.Type.ToString() ?? "", Role(file.Info, multiTask.Tasks.Any(t => t.Name == c.Name), c.Name))).ToArray();
        var history = multiTask.TrainingHistory;
        var best = history.Where(h => h.IsBest).LastOrDefault() ?? (history.Count > 0 ? history[^1] : null);
        var onnx = OnnxModelMetadata.ReadHeader(multiTask.SingleRowOnnxModel) is var (ir, opset, producer)
            ? new OnnxInfo(opset, ir, producer, metadata.GetValueOrDefault(OnnxModelMetadata.FormatVersionKey)) : null;
        return new ModelReport(System.IO.Path.GetFullPath(path), new FileInfo(path).Length, tasks, inputs, multiTask.FeatureColumnName, multiTask.FeatureCount,
            file.Info?.FeatureOrder,
            Parse(metadata.GetValueOrDefault(OnnxModelMetadata.NetworkOptionsKey)), Parse(metadata.GetValueOrDefault(OnnxModelMetadata.TrainingOptionsKey)),
            best is null ? null : new HistoryInfo(history.Count, best.Epoch, best.ValidationLoss),
            file.Info is { } info ? new DataInfo(info.Dataset, info.TrainingRows, info.ValidationRows, info.TrainedUtc, info.TrainedOn, info.EvaluatedOn) : null,
            onnx, multiTask.SingleRowOnnxModel.Length, multiTask.BatchedOnnxModel.Length);
    }

    /// <summary>An option group as "name=value, …" for the table.</summary>
    public static string Pretty(JsonElement? options) => options is { } element
        ? string.Join(", ", element.EnumerateObject().Select(p => $"{p.Name}={p.Value}"))
        : "?";

    public static string Kib(long bytes) => $"{(bytes / 1024.0).ToString("F1", CultureInfo.InvariantCulture)} KiB";

    private static JsonElement? Parse(string? json)
    {
        if (json is null)
            return null;
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static string Role(CliModelInfo? info, bool isLabel, string column) =>
        isLabel ? "label"
        : info is null ? ""
        : info.NumericFeatures.Contains(column) ? "feature (numeric)"
        : info.TextFeatures.Contains(column) ? "feature (text, one-hot)" : "";
}
