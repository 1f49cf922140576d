namespace Mta.Cli.Data;

/// <summary>What to do with a row that cannot be read: stop with its line and column (default), or skip it.</summary>
internal enum BadRowPolicy
{
    Fail,
    Skip,
}

/// <summary>The rows skipped under <see cref="BadRowPolicy.Skip"/>: a count and the first few messages.</summary>
internal sealed class BadRowLog
{
    private const int KeptMessages = 10;
    private readonly List<BadRowException> _first = [];
    private readonly List<long> _rowIndexes = [];

    public long Count { get; private set; }

    public IReadOnlyList<BadRowException> First => _first;

    public void Add(BadRowException row)
    {
        Count++;
        _rowIndexes.Add(row.RowIndex);
        if (_first.Count < KeptMessages)
            _first.Add(row);
    }

    /// <summary>Skipped rows with an index up to <paramref name="rowIndex"/> (a checkpoint counts only what it covers).</summary>
    public long CountUpTo(long rowIndex)
    {
        int lo = 0, hi = _rowIndexes.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (_rowIndexes[mid] <= rowIndex)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo;
    }
}
