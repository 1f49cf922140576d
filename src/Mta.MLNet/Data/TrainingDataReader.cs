using Microsoft.ML;
using Microsoft.ML.Data;
using Mta.Models.Data;
using Mta.Models.Tasks;

namespace Mta.MLNet.Data;

/// <summary>
/// Reads the feature and label columns of an <see cref="IDataView"/> with one cursor straight into flat arrays
/// (no per-row objects). Labels become floats: Boolean → 0/1, key → index 0..K-1 (key 0 = missing → NaN),
/// Single/Double as they are (NaN = missing; ±∞ in a regression label is treated as missing too). Rows of a
/// variable-length feature column (sets of items) are padded with NaN, i.e. absent items, to the layout's width.
/// </summary>
internal static class TrainingDataReader
{
    public static MultiTaskData Read(IDataView data, FeatureLayout layout, IReadOnlyList<ResolvedTask> tasks, string what) =>
        ReadChunks(data, layout, tasks, what, int.MaxValue, CancellationToken.None).FirstOrDefault()
        ?? new MultiTaskData([], layout.Width, tasks.Select(_ => Array.Empty<float>()).ToArray());

    /// <summary>The rows in order, as chunks of at most <paramref name="maxRows"/> rows (one cursor for the whole pass).</summary>
    public static IEnumerable<MultiTaskData> ReadChunks(IDataView data, FeatureLayout layout, IReadOnlyList<ResolvedTask> tasks,
        string what, int maxRows, CancellationToken ct)
    {
        var schema = data.Schema;
        string featureColumnName = layout.ColumnName;
        int featureCount = layout.Width;
        var featureColumn = schema.GetColumnOrNull(featureColumnName)
            ?? throw new ArgumentOutOfRangeException(nameof(data), $"Feature column '{featureColumnName}' was not found in the {what}.");
        var labelColumns = tasks.Select(t => schema.GetColumnOrNull(t.Column.LabelColumnName)
            ?? throw new ArgumentOutOfRangeException(nameof(data), $"Label column '{t.Column.LabelColumnName}' was not found in the {what}.")).ToArray();
        for (int k = 0; k < tasks.Count; k++)
        {
            if (!labelColumns[k].Type.Equals(tasks[k].LabelType))
                throw new ArgumentOutOfRangeException(nameof(data),
                    $"Label column '{labelColumns[k].Name}' is {labelColumns[k].Type} in the {what} but {tasks[k].LabelType} in the training data.");
        }
        int size = TaskResolver.CheckFeatures(schema, featureColumnName, layout.Items);
        if (layout.IsVariable ? size != 0 : size != featureCount)
            throw new ArgumentOutOfRangeException(nameof(data),
                $"Feature column '{featureColumnName}' is {featureColumn.Type} in the {what}, expected {(layout.IsVariable ? "a variable-length vector" : $"{featureCount} values per row")}.");
        return ReadRows(data, featureColumn, labelColumns, layout, tasks, what, maxRows, ct);
    }

    private static IEnumerable<MultiTaskData> ReadRows(IDataView data, DataViewSchema.Column featureColumn, DataViewSchema.Column[] labelColumns,
        FeatureLayout layout, IReadOnlyList<ResolvedTask> tasks, string what, int maxRows, CancellationToken ct)
    {
        int featureCount = layout.Width;
        long expectedRows = Math.Min(data.GetRowCount() ?? 1024, maxRows);
        var features = new List<float>(checked((int)Math.Min(expectedRows * featureCount, int.MaxValue / 2)));
        var labels = tasks.Select(_ => new List<float>((int)Math.Min(expectedRows, int.MaxValue / 2))).ToArray();

        using var cursor = data.GetRowCursor([featureColumn, .. labelColumns]);
        var featureReader = new FeatureReader(cursor, featureColumn);
        var labelGetters = labelColumns.Select((c, k) => LabelGetter(cursor, c, tasks[k])).ToArray();
        var dense = new float[featureCount];
        int rows = 0;
        long index = 0;
        bool yielded = false;
        while (cursor.MoveNext())
        {
            int length = featureReader.Fetch();
            if (layout.IsVariable)
            {
                layout.CheckRow(length, index, what);
                dense.AsSpan(length).Fill(float.NaN);
            }
            index++;
            featureReader.CopyTo(dense);
            features.AddRange(dense);
            for (int k = 0; k < labelGetters.Length; k++)
                labels[k].Add(labelGetters[k]());
            if (++rows == maxRows)
            {
                ct.ThrowIfCancellationRequested();
                yield return new MultiTaskData([.. features], featureCount, labels.Select(l => l.ToArray()).ToArray());
                yielded = true;
                features.Clear();
                foreach (var l in labels)
                    l.Clear();
                rows = 0;
            }
        }
        if (rows > 0 || !yielded)
            yield return new MultiTaskData([.. features], featureCount, labels.Select(l => l.ToArray()).ToArray());
    }

    private static Func<float> LabelGetter(DataViewRowCursor cursor, DataViewSchema.Column column, ResolvedTask task)
    {
        switch (column.Type)
        {
            case BooleanDataViewType:
                var b = cursor.GetGetter<bool>(column);
                return () => { bool v = default; b(ref v); return v ? 1f : 0f; };
            case KeyDataViewType:
                var key = cursor.GetGetter<uint>(column);
                return () => { uint v = default; key(ref v); return v == 0 ? float.NaN : v - 1; };
            default:
                var read = column.Type == NumberDataViewType.Single ? FloatGetter(cursor, column) : DoubleGetter(cursor, column);
                if (task.Kind == TaskKind.Regression)
                    return () => { float v = read(); return float.IsFinite(v) ? v : float.NaN; };
                return read;
        }
    }

    private static Func<float> FloatGetter(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var g = cursor.GetGetter<float>(column);
        return () => { float v = default; g(ref v); return v; };
    }

    private static Func<float> DoubleGetter(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var g = cursor.GetGetter<double>(column);
        return () => { double v = default; g(ref v); return (float)v; };
    }
}
