using Microsoft.ML;
using Microsoft.ML.Data;
using Mta.MLNet.Data;

namespace Mta.MLNet.Scoring;

/// <summary>
/// The lazily scored view returned by <see cref="MultiTaskTransformer.Transform"/>: input columns pass through,
/// output columns come from the batched ONNX graph, <see cref="BatchSize"/> rows per ONNX Runtime call.
/// </summary>
/// <remarks>
/// ML.NET's row mappers see one row at a time, which is why its own OnnxTransformer scores with batch size 1.
/// Here a second cursor over the same input reads ahead the feature column for a whole batch; IDataView
/// cursors over the same data yield the same rows in the same order, so batch row i is the main cursor's row.
/// Rows of a variable-length column (sets of items) are padded with all-NaN items to the batch's longest row.
/// </remarks>
internal sealed class BatchScoredDataView : IDataView
{
    private readonly IDataView _source;
    private readonly OnnxBatchScorer _scorer;
    private readonly FeatureLayout _layout;

    public BatchScoredDataView(IDataView source, DataViewSchema outputSchema, OnnxBatchScorer scorer, FeatureLayout layout, int batchSize)
    {
        _source = source;
        _scorer = scorer;
        _layout = layout;
        Schema = outputSchema;
        BatchSize = batchSize;
        // The output schema keeps the input columns at their indices and appends the outputs (the scoring
        // chain only adds columns); cursors rely on that to pass input columns through by index.
        int inputCount = source.Schema.Count;
        for (int i = 0; i < inputCount; i++)
        {
            if (outputSchema[i].Name != source.Schema[i].Name)
                throw new InvalidOperationException($"Scored schema column {i} is '{outputSchema[i].Name}', expected input column '{source.Schema[i].Name}'.");
        }
        for (int i = inputCount; i < outputSchema.Count; i++)
            OutputColumns.Add(outputSchema[i]);
    }

    public DataViewSchema Schema { get; }

    public int BatchSize { get; }

    /// <summary>Columns computed here (all columns past the input's).</summary>
    internal List<DataViewSchema.Column> OutputColumns { get; } = [];

    public bool CanShuffle => false;

    public long? GetRowCount() => _source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.Select(c => c.Index).ToHashSet();
        var neededOutputs = OutputColumns.Where(c => needed.Contains(c.Index)).ToArray();
        var neededInputs = _source.Schema.Where(c => needed.Contains(c.Index)).ToArray();
        var main = _source.GetRowCursor(neededInputs);
        var features = neededOutputs.Length > 0 ? _source.GetRowCursor([_source.Schema[_layout.ColumnName]]) : null;
        return new Cursor(this, main, features, neededOutputs, needed);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly BatchScoredDataView _parent;
        private readonly DataViewRowCursor _main;
        private readonly DataViewRowCursor? _featureCursor;
        private readonly FeatureReader? _featureReader;
        private readonly HashSet<int> _active;
        private readonly Dictionary<int, OutputBuffer> _buffers = [];
        private readonly string[] _outputNames;
        private readonly OutputBuffer[] _outputBuffers;
        private readonly int[] _rowLengths;
        private float[] _batchFeatures;
        private long _position = -1;
        private int _rowInBatch = -1;
        private int _batchRows;

        public Cursor(BatchScoredDataView parent, DataViewRowCursor main, DataViewRowCursor? featureCursor,
            DataViewSchema.Column[] outputs, HashSet<int> active)
        {
            _parent = parent;
            _main = main;
            _featureCursor = featureCursor;
            _active = active;
            _featureReader = featureCursor is null ? null : new FeatureReader(featureCursor, featureCursor.Schema[parent._layout.ColumnName]);
            _rowLengths = new int[parent.BatchSize];
            var items = parent._layout.Items;
            foreach (var column in outputs)
                _buffers[column.Index] = OutputBuffer.For(column.Type, row => items?.Items(_rowLengths[row]) ?? _rowLengths[row]);
            _outputNames = outputs.Select(c => c.Name).ToArray();
            _outputBuffers = outputs.Select(c => _buffers[c.Index]).ToArray();
            _batchFeatures = featureCursor is null ? [] : new float[parent.BatchSize * parent._layout.Width];
        }

        public override DataViewSchema Schema => _parent.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override bool MoveNext()
        {
            if (!_main.MoveNext())
                return false;
            _position++;
            _rowInBatch++;
            if (_featureCursor is not null && _rowInBatch >= _batchRows)
                ScoreNextBatch();
            return true;
        }

        private void ScoreNextBatch()
        {
            var layout = _parent._layout;
            // Fixed rows: the column's width. Sets: the longest row of the batch (at least one item), known once read.
            // Sets: at least the row features and one (absent) item, so that the batch has a shape.
            int width = layout.IsVariable ? layout.Items!.MinimumWidth : layout.Width;
            int rows = 0, stride = layout.Width;
            while (rows < _parent.BatchSize && _featureCursor!.MoveNext())
            {
                int length = _featureReader!.Fetch();
                if (layout.IsVariable)
                {
                    if (!layout.Items!.Fits(length))
                        throw new InvalidDataException($"Feature column '{layout.ColumnName}' has a row of {length} values, not {layout.Items.Expected}.");
                    if (length > stride)
                        Restride(ref stride, length, rows);
                    width = Math.Max(width, length);
                }
                else if (length != width)
                {
                    throw new InvalidOperationException($"Feature column '{layout.ColumnName}' has a row of {length} values; the model expects {width}.");
                }
                var slot = _batchFeatures.AsSpan(rows * stride, stride);
                slot[length..].Fill(float.NaN);                                     // absent items
                _featureReader.CopyTo(slot);
                _rowLengths[rows] = length;
                rows++;
            }
            if (rows == 0)
                throw new InvalidOperationException("The input data gave fewer rows to the read-ahead cursor than to the main cursor: it is not deterministic.");
            if (layout.IsVariable)
                Compact(rows, stride, width);
            using var results = _parent._scorer.Run(_batchFeatures, rows, width, _outputNames);
            for (int i = 0; i < _outputBuffers.Length; i++)
                _outputBuffers[i].Fill(results[i], rows);
            _batchRows = rows;
            _rowInBatch = 0;
        }

        /// <summary>A row longer than every training row: widens every slot of the batch buffer (rare; the model takes any length).</summary>
        private void Restride(ref int stride, int length, int rows)
        {
            var wider = new float[_parent.BatchSize * length];
            wider.AsSpan().Fill(float.NaN);
            for (int r = 0; r < rows; r++)
                _batchFeatures.AsSpan(r * stride, stride).CopyTo(wider.AsSpan(r * length, length));
            _batchFeatures = wider;
            stride = length;
        }

        /// <summary>Slots of <paramref name="stride"/> values → rows of the batch's width (in place, front to back).</summary>
        private void Compact(int rows, int stride, int width)
        {
            if (width == stride)
                return;
            for (int r = 1; r < rows; r++)
                _batchFeatures.AsSpan(r * stride, width).CopyTo(_batchFeatures.AsSpan(r * width, width));
        }

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (_buffers.TryGetValue(column.Index, out var buffer))
            {
                return buffer.MakeGetter(() => _rowInBatch) as ValueGetter<TValue>
                    ?? throw new InvalidOperationException($"Column '{column.Name}' is {column.Type}; it has no getter of {typeof(TValue).Name}.");
            }
            if (column.Index < _main.Schema.Count)
                return _main.GetGetter<TValue>(_main.Schema[column.Index]);
            throw new InvalidOperationException($"Column '{column.Name}' was not requested when the cursor was created.");
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => _active.Contains(column.Index);

        public override ValueGetter<DataViewRowId> GetIdGetter() => _main.GetIdGetter();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _main.Dispose();
                _featureCursor?.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
