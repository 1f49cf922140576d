namespace Mta.Cli.Data;

/// <summary>What to do with a row that cannot be read: stop with its line and column (default), or skip it.</summary>
internal enum BadRowPolicy
{
    Fail,
    Skip,
}

/// <summary>
/// The rows skipped under <see cref="BadRowPolicy.Skip"/>: a count and the first few messages. A row is counted once
/// even when several cursors read the file (the batched scorer reads its input with two).
/// </summary>
internal sealed class BadRowLog
{
    private const int KeptMessages = 10;
    private readonly List<BadRowException> _first = [];
    private readonly SortedSet<long> _rowIndexes = [];
    private readonly Lock _lock = new();

    public long Count
    {
        get
        {
            lock (_lock)
                return _rowIndexes.Count;
        }
    }

    public IReadOnlyList<BadRowException> First
    {
        get
        {
            lock (_lock)
                return [.. _first];
        }
    }

    public void Add(BadRowException row)
    {
        lock (_lock)
        {
            if (_rowIndexes.Add(row.RowIndex) && _first.Count < KeptMessages)
                _first.Add(row);
        }
    }

    /// <summary>The skipped rows' indexes up to <paramref name="rowIndex"/>, in order (a checkpoint records only what it covers).</summary>
    public long[] IndexesUpTo(long rowIndex)
    {
        lock (_lock)
            return _rowIndexes.Count == 0 || rowIndex < _rowIndexes.Min ? [] : [.. _rowIndexes.GetViewBetween(_rowIndexes.Min, rowIndex)];
    }
}
