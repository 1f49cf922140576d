using Microsoft.ML;
using Microsoft.ML.Data;

namespace Mta.Cli.Data;

/// <summary>
/// A CSV or Parquet file as a streaming ML.NET data view: the requested columns, typed, plus
/// <see cref="RowIndexColumn"/> (the row's 0-based index in the file, which sharding and resuming are defined by).
/// Every cursor reads the file again from the start; nothing is held in memory.
/// </summary>
internal sealed class TableDataView : IDataView
{
    /// <summary>The row's 0-based index among the file's data rows.</summary>
    public const string RowIndexColumn = "mta.RowIndex";

    private readonly DataFile _file;
    private readonly IReadOnlyList<ColumnRequest> _columns;
    private readonly RowFilter _filter;
    private readonly BadRowPolicy _policy;
    private double _fraction;

    public TableDataView(DataFile file, IReadOnlyList<ColumnRequest> columns, RowFilter filter, BadRowPolicy policy, BadRowLog badRows)
    {
        _file = file;
        _columns = columns;
        _filter = filter;
        _policy = policy;
        BadRows = badRows;
        var builder = new DataViewSchema.Builder();
        foreach (var column in columns)
            builder.AddColumn(column.ViewName, column.Type.ToDataViewType());
        builder.AddColumn(RowIndexColumn, NumberDataViewType.Int64);
        Schema = builder.ToSchema();
        // Open once now so a missing file or column fails here, with its name, not inside ML.NET.
        using var probe = TableReader.Open(file, columns, filter);
    }

    public DataViewSchema Schema { get; }

    public bool CanShuffle => false;

    public BadRowLog BadRows { get; }

    /// <summary>How much of the file the latest cursor has read, 0..1.</summary>
    public double Fraction => Volatile.Read(ref _fraction);

    public long? GetRowCount() => null;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        // Skipping bad rows needs every cursor to judge every row alike (the batched scorer pairs two cursors row by
        // row), so then every column is read; otherwise only the columns this cursor needs.
        var active = new bool[_columns.Count];
        foreach (var column in columnsNeeded)
        {
            if (column.Index < active.Length)
                active[column.Index] = true;
        }
        if (_policy == BadRowPolicy.Skip)
            Array.Fill(active, true);
        return new Cursor(this, TableReader.Open(_file, _columns, _filter, active), active);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor(TableDataView view, TableReader reader, bool[] active) : DataViewRowCursor
    {
        private long _position = -1;

        public override DataViewSchema Schema => view.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override bool MoveNext()
        {
            while (true)
            {
                try
                {
                    if (!reader.MoveNext())
                    {
                        Volatile.Write(ref view._fraction, 1);
                        return false;
                    }
                    _position++;
                    if ((_position & 1023) == 0)
                        Volatile.Write(ref view._fraction, reader.Fraction);
                    return true;
                }
                catch (BadRowException bad) when (view._policy == BadRowPolicy.Skip)
                {
                    view.BadRows.Add(bad);
                }
            }
        }

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            var row = reader.Current;
            int c = column.Index;
            Delegate getter = c == view._columns.Count
                ? (ValueGetter<long>)((ref long value) => value = row.RowIndex)
                : view._columns[c].Type switch
                {
                    ColumnType.Single => (ValueGetter<float>)((ref float value) => value = row.Singles[c]),
                    ColumnType.Double => (ValueGetter<double>)((ref double value) => value = row.Doubles[c]),
                    ColumnType.Boolean => (ValueGetter<bool>)((ref bool value) => value = row.Booleans[c]),
                    _ => (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = row.Texts[c]),
                };
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' is {column.Type}, not {typeof(TValue).Name}.");
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => column.Index >= active.Length || active[column.Index];

        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId value) => value = new DataViewRowId((ulong)reader.Current.RowIndex, 0);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                reader.Dispose();
            base.Dispose(disposing);
        }
    }
}
