namespace Mta.Cli.Scoring;

/// <summary>What a committed output file looks like: its length, and (Parquet) the footer bytes at its end.</summary>
internal sealed record WriterCheckpoint(long Length, string? Tail);

/// <summary>
/// Writes scored batches to the temporary output file. <see cref="Commit"/> makes everything written so far durable
/// and describes the file at that point, so a resumed run can cut the file back to exactly that state.
/// </summary>
internal abstract class ScoreWriter : IDisposable
{
    /// <summary>Whether enough rows are pending that the job should commit now.</summary>
    public abstract bool ShouldCommit { get; }

    public abstract void Write(IReadOnlyList<OutputColumn> columns, int rows);

    public abstract WriterCheckpoint Commit();

    public abstract void Dispose();

    /// <summary>A writer for the output's format (by extension: .parquet, .tsv, else CSV).</summary>
    /// <param name="path">The temporary file to write.</param>
    /// <param name="columns">The output columns (names and types).</param>
    /// <param name="resumeFrom">The last commit of an interrupted run, or null to start a new file.</param>
    /// <param name="parquetRowGroupRows">Rows per Parquet row group (and commit).</param>
    public static ScoreWriter Open(string path, string finalPath, IReadOnlyList<OutputColumn> columns, WriterCheckpoint? resumeFrom, int parquetRowGroupRows) =>
        Data.TableReader.IsParquet(finalPath)
            ? new ParquetScoreWriter(path, columns, resumeFrom, parquetRowGroupRows)
            : new CsvScoreWriter(path, Data.DataFile.DefaultSeparator(finalPath), columns, resumeFrom);
}
