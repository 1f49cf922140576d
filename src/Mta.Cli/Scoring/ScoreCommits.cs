using Mta.Cli.Data;

namespace Mta.Cli.Scoring;

/// <summary>
/// The resume rule of <c>mta score</c>: the checkpoint on disk describes exactly the rows the writer has committed.
/// Rows handed to the writer since its last commit are counted apart and become part of the checkpoint only when the
/// writer commits them, so a run killed between commits resumes after the last committed input row and neither
/// loses nor repeats a row.
/// </summary>
internal sealed class ScoreCommits(ScoreState state, ScoreWriter writer, BadRowLog badRows, string statePath)
{
    private readonly IReadOnlyList<long> _skippedBefore = state.SkippedRows;
    private long _uncommitted;

    /// <summary>What the checkpoint on disk says: the committed rows and the writer's position after them.</summary>
    public ScoreState State { get; private set; } = state;

    /// <summary>The input row index of the last row handed to the writer (the resume point once committed).</summary>
    public long LastRowIndex { get; set; } = state.LastRowIndex;

    /// <summary>Rows written in this run, committed or not.</summary>
    public long RowsThisRun { get; private set; }

    /// <summary>Counts rows the writer has just taken; commits when the writer says a commit is due.</summary>
    public void Written(int rows)
    {
        RowsThisRun += rows;
        _uncommitted += rows;
        if (writer.ShouldCommit)
            Commit(completed: false);
    }

    /// <summary>
    /// Commits the writer and replaces the checkpoint. Bad rows are recorded up to the last row written, or all of
    /// them once the input is <paramref name="completed"/>.
    /// </summary>
    public void Commit(bool completed)
    {
        State = State with
        {
            LastRowIndex = LastRowIndex,
            RowsWritten = State.RowsWritten + _uncommitted,
            SkippedRows = [.. _skippedBefore, .. badRows.IndexesUpTo(completed ? long.MaxValue : LastRowIndex)],
            Output = writer.Commit(),
        };
        State.Save(statePath);
        _uncommitted = 0;
    }
}
