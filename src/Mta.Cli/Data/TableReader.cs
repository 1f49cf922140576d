namespace Mta.Cli.Data;

/// <summary>Which rows of a file to read: one shard of n (by 0-based row index), after a resume point.</summary>
/// <param name="ShardIndex">i of --shard i/n.</param>
/// <param name="ShardCount">n of --shard i/n (1: every row).</param>
/// <param name="ResumeAfterRowIndex">Rows with an index up to this one were done before (-1: none).</param>
internal sealed record RowFilter(int ShardIndex = 0, int ShardCount = 1, long ResumeAfterRowIndex = -1)
{
    public static RowFilter All { get; } = new();

    public bool Includes(long rowIndex) => rowIndex % ShardCount == ShardIndex && rowIndex > ResumeAfterRowIndex;
}

/// <summary>One row's values for the requested columns; each column uses the array of its type.</summary>
internal sealed class RowValues(int columns)
{
    public float[] Singles { get; } = new float[columns];
    public double[] Doubles { get; } = new double[columns];
    public bool[] Booleans { get; } = new bool[columns];
    public ReadOnlyMemory<char>[] Texts { get; } = new ReadOnlyMemory<char>[columns];

    /// <summary>0-based index of the data row in the file (header excluded).</summary>
    public long RowIndex { get; set; }
}

/// <summary>A row that cannot be read as the model needs it (wrong field count, a value of the wrong type).</summary>
internal sealed class BadRowException(string file, string location, long rowIndex, string message)
    : Exception($"{file}, {location}: {message}")
{
    public string File { get; } = file;
    public long RowIndex { get; } = rowIndex;
}

/// <summary>
/// Reads the requested columns of a CSV or Parquet file as typed values, in file order, streaming (memory does not
/// grow with the file). Only rows the <see cref="RowFilter"/> includes are parsed; a row that cannot be read throws
/// <see cref="BadRowException"/> and the reader moves on to the next row on the following call.
/// </summary>
internal abstract class TableReader : IDisposable
{
    protected TableReader(string path, IReadOnlyList<ColumnRequest> columns, RowFilter filter, bool[]? active)
    {
        Path = path;
        Columns = columns;
        Filter = filter;
        Active = active ?? Enumerable.Repeat(true, columns.Count).ToArray();
        Current = new RowValues(columns.Count);
    }

    /// <summary>
    /// Which columns to read: the others are skipped (not parsed), since a cursor that does not need a column never
    /// asks for it. The batched scorer reads the file with two cursors, one for the features and one for the columns
    /// passed through; each parses only its own.
    /// </summary>
    protected bool[] Active { get; }

    public string Path { get; }

    public IReadOnlyList<ColumnRequest> Columns { get; }

    protected RowFilter Filter { get; }

    public RowValues Current { get; }

    /// <summary>How much of the file has been read, 0..1 (for progress).</summary>
    public abstract double Fraction { get; }

    /// <summary>Moves to the next included row and reads it; false at the end of the file.</summary>
    /// <exception cref="BadRowException">The row cannot be read; the next call continues after it.</exception>
    public bool MoveNext()
    {
        while (Advance(out long rowIndex))
        {
            if (!Filter.Includes(rowIndex))
                continue;
            Current.RowIndex = rowIndex;
            Fill();
            return true;
        }
        return false;
    }

    /// <summary>Moves to the next row of the file (without reading its values); false at the end.</summary>
    protected abstract bool Advance(out long rowIndex);

    /// <summary>Reads the current row's values into <see cref="Current"/>.</summary>
    protected abstract void Fill();

    public abstract void Dispose();

    /// <summary>A reader for the file, by extension: .parquet, else delimited text with a header row.</summary>
    public static TableReader Open(DataFile file, IReadOnlyList<ColumnRequest> columns, RowFilter filter, bool[]? active = null) =>
        file.IsParquet ? new ParquetTableReader(file.Path, columns, filter, active) : new CsvTableReader(file, columns, filter, active);

    /// <summary>The file's column names, in order.</summary>
    public static IReadOnlyList<string> ColumnNamesOf(DataFile file) =>
        file.IsParquet ? ParquetTableReader.ReadHeaderNames(file.Path) : CsvTableReader.ReadHeaderNames(file);

    public static bool IsParquet(string path) => path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase);

    /// <summary>Checks that every requested column is in the file; the error lists what is missing and what is there.</summary>
    protected static int[] Locate(string path, IReadOnlyList<string> fileColumns, IReadOnlyList<ColumnRequest> columns)
    {
        var positions = new int[columns.Count];
        var missing = new List<string>();
        for (int c = 0; c < columns.Count; c++)
        {
            positions[c] = IndexOf(fileColumns, columns[c].Name);
            if (positions[c] < 0)
                missing.Add(columns[c].Name);
        }
        if (missing.Count > 0)
            throw CliException.BadInput($"{path}: column(s) {string.Join(", ", missing.Select(m => $"'{m}'"))} not found. " +
                $"The file has: {string.Join(", ", fileColumns)}.");
        return positions;
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal))
                return i;
        }
        return -1;
    }
}
