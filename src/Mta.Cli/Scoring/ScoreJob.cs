using System.Diagnostics;
using Microsoft.ML;
using Mta.Cli.Data;
using Mta.Cli.Models;
using Mta.MLNet;
using Spectre.Console;

namespace Mta.Cli.Scoring;

/// <summary>The settings of one <c>mta score</c> run.</summary>
internal sealed record ScoreSettings(
    string Model, string Input, string Output, IReadOnlyList<string>? Keep, int BatchSize, int ShardIndex, int ShardCount,
    bool Resume, BadRowPolicy BadRows, ScoringDevice Device, bool Attention, int ParquetRowGroupRows, TimeSpan ProgressInterval, char? Separator = null)
{
    /// <summary>The input with its separator (--separator, else by extension).</summary>
    public DataFile InputFile => DataFile.Of(Input, Separator);
}

/// <summary>What a finished (or interrupted) run did.</summary>
internal sealed record ScoreSummary(long RowsWritten, long BadRows, bool Completed, TimeSpan Elapsed, long RowsThisRun);

/// <summary>
/// Streams the input through the model into the output, batch by batch, in constant memory. Writes
/// <c>{output}.partial</c> and, after every commit, the checkpoint <c>{output}.partial.json</c>; renames the partial
/// file to the output when done (a shard of several keeps the checkpoint as <c>{output}.shard.json</c>, for
/// <c>mta merge</c>). Rows are those with index % n == i for <c>--shard i/n</c>.
/// </summary>
internal static class ScoreJob
{
    /// <summary>
    /// The files a run writes: the output, and beside it (suffixes) the partial file, its checkpoint, the checkpoint's
    /// temporary copy and a finished shard's manifest.
    /// </summary>
    public static IReadOnlyList<string> WrittenBesideOutput { get; } = ["", ".partial", ".partial.json", ".partial.json.tmp", ShardManifest.Suffix];

    public static ScoreSummary Run(IAnsiConsole console, ScoreSettings settings, bool interactive, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var ml = new MLContext(seed: 1);
        using var model = ModelFile.Load(ml, settings.Model, settings.BatchSize, settings.Device);
        var fileColumns = TableReader.ColumnNamesOf(settings.InputFile);
        var keep = settings.Keep ?? fileColumns;
        var unknown = keep.Where(k => !fileColumns.Contains(k)).ToArray();
        if (unknown.Length > 0)
            throw CliException.BadInput($"--keep: column(s) {string.Join(", ", unknown.Select(u => $"'{u}'"))} not in {settings.Input}. It has: {string.Join(", ", fileColumns)}.");
        var requests = model.RequestsFor(fileColumns, settings.Input)
            .Concat(keep.Select(k => new ColumnRequest(k, ColumnType.Text, Alias: OutputColumns.KeepAlias(k)))).ToArray();

        string partial = settings.Output + ".partial", statePath = partial + ".json";
        var state = StartingState(console, settings, FreshState(settings, model, keep), partial, statePath);

        var badRows = new BadRowLog();
        var view = new TableDataView(settings.InputFile, requests, new RowFilter(settings.ShardIndex, settings.ShardCount, state.LastRowIndex), settings.BadRows, badRows);
        IDataView scored;
        try
        {
            scored = model.Model.Transform(view);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            throw CliException.BadInput($"{settings.Input} does not fit the model: {e.Message}", e);
        }

        var tasks = model.MultiTask.Tasks;
        var needed = OutputColumns.Needed(scored.Schema, keep, tasks, settings.Attention).Append(scored.Schema[TableDataView.RowIndexColumn]).ToArray();
        using var cursor = scored.GetRowCursor(needed);
        var columns = OutputColumns.Create(cursor, keep, tasks, settings.Attention, settings.BatchSize);
        var rowIndex = cursor.GetGetter<long>(scored.Schema[TableDataView.RowIndexColumn]);
        using var writer = ScoreWriter.Open(partial, settings.Output, columns, state.Output, settings.ParquetRowGroupRows);

        var commits = new ScoreCommits(state, writer, badRows, statePath);
        if (state.Output is null)
            commits.Commit(completed: false); // the header (CSV) or an empty file (Parquet) is the first commit

        bool completed = ProgressDisplay.Run(console, interactive, settings.ProgressInterval, report =>
        {
            while (true)
            {
                int rows = 0;
                long lastIndex = commits.LastRowIndex;
                while (rows < settings.BatchSize && cursor.MoveNext())
                {
                    foreach (var column in columns)
                        column.Read(rows);
                    rowIndex(ref lastIndex);
                    rows++;
                }
                commits.LastRowIndex = lastIndex;
                if (rows > 0)
                {
                    writer.Write(columns, rows);
                    commits.Written(rows);
                    report(commits.RowsThisRun, view.Fraction);
                }
                if (rows < settings.BatchSize)
                    return true;
                if (cancellation.IsCancellationRequested)
                    return false;
            }
        });
        commits.Commit(completed);
        writer.Dispose();
        if (completed)
            Finish(settings, partial, statePath);
        foreach (var bad in badRows.First)
            console.MarkupLine($"[yellow]skipped:[/] {Markup.Escape(bad.Message)}");
        return new ScoreSummary(commits.State.RowsWritten, commits.State.BadRows, completed, clock.Elapsed, commits.RowsThisRun);
    }

    private static ScoreState FreshState(ScoreSettings settings, ModelFile model, IReadOnlyList<string> keep)
    {
        var input = new FileInfo(settings.Input);
        return new ScoreState
        {
            Input = input.FullName,
            InputLength = input.Length,
            InputModifiedUtc = input.LastWriteTimeUtc,
            ModelLength = new FileInfo(settings.Model).Length,
            Shard = $"{settings.ShardIndex}/{settings.ShardCount}",
            Columns = ColumnNames(model, keep, settings.Attention),
        };
    }

    /// <summary>
    /// The partial file becomes the output. A shard of several keeps its final checkpoint as the output's manifest,
    /// which <c>mta merge</c> reads (which shard, of which input, which rows were skipped).
    /// </summary>
    private static void Finish(ScoreSettings settings, string partial, string statePath)
    {
        File.Move(partial, settings.Output, overwrite: true);
        if (settings.ShardCount > 1)
            File.Move(statePath, settings.Output + ShardManifest.Suffix, overwrite: true);
        else
            File.Delete(statePath);
    }

    /// <summary>The state to start from: a matching checkpoint with --resume, else a new run (any old partial output is replaced).</summary>
    private static ScoreState StartingState(IAnsiConsole console, ScoreSettings settings, ScoreState fresh, string partial, string statePath)
    {
        var saved = ScoreState.Read(statePath);
        if (settings.Resume && saved is not null && File.Exists(partial))
        {
            if (saved.Mismatch(fresh) is string why)
                throw CliException.BadInput($"Cannot resume from '{statePath}': {why}. Delete it (and '{partial}') or run without --resume.");
            console.MarkupLine($"Resuming after input row {saved.LastRowIndex} ({saved.RowsWritten:N0} rows already written).");
            return saved;
        }
        if (settings.Resume)
            console.MarkupLine("Nothing to resume; starting from the first row.");
        File.Delete(statePath);
        File.Delete(partial);
        File.Delete(settings.Output + ShardManifest.Suffix); // it describes an output this run replaces
        return fresh;
    }

    private static string[] ColumnNames(ModelFile model, IReadOnlyList<string> keep, bool attention) =>
        [.. keep, .. model.MultiTask.Tasks.Select(t => $"{t.Name}:{t.Kind}:{(attention ? "attention" : "")}")];
}
