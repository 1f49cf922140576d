using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mta.Cli.Models;

/// <summary>
/// What <c>mta train</c> knows beyond the ML.NET model: how label text becomes labels (so <c>evaluate</c> reads
/// labels the same way), which columns were features, and which rows the model learned from (<see cref="TrainedOn"/>:
/// all rows, or the rule that held some out) and which the printed metrics came from (<see cref="EvaluatedOn"/>; both
/// null in files written before they were recorded), and the feature vector's columns in order (<see cref="Features"/>;
/// null in older files, whose vectors are the numeric then the text features). Stored in the model zip as
/// <see cref="EntryName"/>, an entry ML.NET does not read, so the file still loads with <c>mlContext.Model.Load</c>;
/// scoring never rebuilds the featurizer from it, since the saved model holds its own.
/// </summary>
internal sealed record CliModelInfo(
    string Dataset,
    DateTimeOffset TrainedUtc,
    IReadOnlyList<ResolvedLabel> Labels,
    IReadOnlyList<string> NumericFeatures,
    IReadOnlyList<string> TextFeatures,
    IReadOnlyList<string> Ignored,
    int TrainingRows,
    int ValidationRows,
    string? TrainedOn = null,
    string? EvaluatedOn = null,
    IReadOnlyList<string>? Features = null)
{
    /// <summary>The feature columns in the vector's order, for files of any version.</summary>
    public IReadOnlyList<string> FeatureOrder => Features ?? [.. NumericFeatures, .. TextFeatures];

    public const string EntryName = "Mta.Cli/training.json";

    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };

    public void AppendTo(string zipPath)
    {
        using var zip = ZipFile.Open(zipPath, ZipArchiveMode.Update);
        zip.GetEntry(EntryName)?.Delete();
        using var stream = zip.CreateEntry(EntryName, CompressionLevel.Optimal).Open();
        JsonSerializer.Serialize(stream, this, s_json);
    }

    /// <summary>The info in a model file, or null for a model saved by other code.</summary>
    public static CliModelInfo? ReadFrom(string zipPath)
    {
        try
        {
            using var zip = ZipFile.OpenRead(zipPath);
            var entry = zip.GetEntry(EntryName);
            if (entry is null)
                return null;
            using var stream = entry.Open();
            return JsonSerializer.Deserialize<CliModelInfo>(stream, s_json);
        }
        catch (Exception e) when (e is InvalidDataException or JsonException)
        {
            throw new CliException(ExitCodes.BadModel, $"Model file '{zipPath}': its {EntryName} entry is unreadable: {e.Message}", e);
        }
    }
}
