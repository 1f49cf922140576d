using System.Text.Json;

namespace Mta.Cli.Scoring;

/// <summary>
/// The checkpoint of a running <c>mta score</c>, written atomically next to the temporary output after every commit:
/// what the run is (input, model, shard, columns) and how far it got (the last input row written, the output file's
/// committed length). <c>--resume</c> continues from it only if the run is the same.
/// </summary>
internal sealed record ScoreState
{
    public required string Input { get; init; }
    public required long InputLength { get; init; }
    public required DateTime InputModifiedUtc { get; init; }
    public required long ModelLength { get; init; }
    public required string Shard { get; init; }
    public required IReadOnlyList<string> Columns { get; init; }
    public long LastRowIndex { get; init; } = -1;
    public long RowsWritten { get; init; }

    /// <summary>The indexes of the input rows skipped as bad (--on-bad-row skip), up to <see cref="LastRowIndex"/>.</summary>
    public IReadOnlyList<long> SkippedRows { get; init; } = [];

    public long BadRows => SkippedRows.Count;
    public WriterCheckpoint? Output { get; init; }

    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };

    public void Save(string path)
    {
        string temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            JsonSerializer.Serialize(stream, this, s_json);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    public static ScoreState? Read(string path)
    {
        if (!File.Exists(path))
            return null;
        try
        {
            return JsonSerializer.Deserialize<ScoreState>(File.ReadAllText(path), s_json);
        }
        catch (JsonException e)
        {
            throw CliException.BadInput($"Cannot resume: the checkpoint '{path}' is unreadable ({e.Message}); delete it to start over.", e);
        }
    }

    /// <summary>Why <paramref name="current"/> is not the run this checkpoint belongs to, or null if it is.</summary>
    public string? Mismatch(ScoreState current) =>
        Input != current.Input ? $"it is for input '{Input}'"
        : InputLength != current.InputLength || InputModifiedUtc != current.InputModifiedUtc ? "the input file has changed since"
        : ModelLength != current.ModelLength ? "the model file has changed since"
        : Shard != current.Shard ? $"it is for shard {Shard}"
        : !Columns.SequenceEqual(current.Columns) ? "it wrote different columns (--keep / --attention differ)"
        : null;
}
