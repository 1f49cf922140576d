using Microsoft.ML;
using Microsoft.ML.Data;

namespace Mta.MLNet.Data;

/// <summary>The rows of a source view whose 0-based index passes a test (streamed, nothing materialized).</summary>
internal sealed class RowIndexFilterDataView(IDataView source, Func<long, bool> keep) : IDataView
{
    public DataViewSchema Schema => source.Schema;

    public bool CanShuffle => false;

    public long? GetRowCount() => null;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(source.GetRowCursor(columnsNeeded), keep);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor(DataViewRowCursor inner, Func<long, bool> keep) : DataViewRowCursor
    {
        private long _sourceIndex = -1;
        private long _position = -1;

        public override DataViewSchema Schema => inner.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override bool MoveNext()
        {
            while (inner.MoveNext())
            {
                if (keep(++_sourceIndex))
                {
                    _position++;
                    return true;
                }
            }
            return false;
        }

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => inner.GetGetter<TValue>(column);

        public override bool IsColumnActive(DataViewSchema.Column column) => inner.IsColumnActive(column);

        public override ValueGetter<DataViewRowId> GetIdGetter() => inner.GetIdGetter();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
