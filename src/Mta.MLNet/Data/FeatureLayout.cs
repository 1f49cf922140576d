using Microsoft.ML;
using Microsoft.ML.Data;
using Mta.Models.Data;
using Mta.Models.Options;

namespace Mta.MLNet.Data;

/// <summary>
/// How the feature column becomes the model's rows: a fixed-size vector as it is, or, for sets of items
/// (<see cref="Architecture.SetAttention"/>), a variable-length vector padded with all-NaN items to
/// <see cref="Width"/> (the longest row of the data it was resolved on).
/// </summary>
/// <param name="ColumnName">The feature column.</param>
/// <param name="Width">Values per model row.</param>
/// <param name="Items">How a row is row features and items, for sets of items; else null.</param>
/// <param name="IsVariable">The column is a variable-length vector (rows are padded to <see cref="Width"/>).</param>
/// <param name="KeyCount">For a vector of keys (item ids), the number of keys; else null.</param>
internal sealed record FeatureLayout(string ColumnName, int Width, ItemLayout? Items, bool IsVariable, int? KeyCount = null)
{
    /// <summary>Values per item for sets of items, else null.</summary>
    public int? ItemWidth => Items?.ItemWidth;

    /// <summary>The layout of <paramref name="data"/>'s feature column; a variable-length column is read once to find its longest row.</summary>
    public static FeatureLayout Resolve(IDataView data, string columnName, ItemLayout? items, string what)
    {
        int size = TaskResolver.CheckFeatures(data.Schema, columnName, items);
        var type = data.Schema[columnName].Type;
        int? keys = FeatureReader.IsKeyVector(type) ? (int)Math.Min(((KeyDataViewType)((VectorDataViewType)type).ItemType).Count, int.MaxValue) : null;
        return size > 0 ? new(columnName, size, items, false, keys) : new(columnName, LongestRow(data, columnName, items!, what), items, true, keys);
    }

    /// <summary>Checks a variable-length row's length: the row features and whole items, and no longer than <see cref="Width"/>.</summary>
    public void CheckRow(int length, long row, string what)
    {
        if (!Items!.Fits(length))
            throw new InvalidDataException($"Feature column '{ColumnName}' has {length} values in row {row} of the {what}, not {Items.Expected}.");
        if (length > Width)
            throw new InvalidDataException($"Feature column '{ColumnName}' has {length} values in row {row} of the {what}, more than the {Width} of its longest row " +
                "when it was first read: the data view does not give the same rows on every pass.");
    }

    // At least one (padding) item, so that a data set of empty rows still has a shape.
    private static int LongestRow(IDataView data, string columnName, ItemLayout items, string what)
    {
        var column = data.Schema[columnName];
        using var cursor = data.GetRowCursor([column]);
        var reader = new FeatureReader(cursor, column);
        var probe = new FeatureLayout(columnName, int.MaxValue, items, true);
        int longest = items.MinimumWidth;
        long index = 0;
        while (cursor.MoveNext())
        {
            int length = reader.Fetch();
            probe.CheckRow(length, index++, what);
            longest = Math.Max(longest, length);
        }
        return longest;
    }
}
