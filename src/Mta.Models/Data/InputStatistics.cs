namespace Mta.Models.Data;

/// <summary>
/// The input <see cref="Standardization"/>, gathered rows at a time: per column for fixed-width rows; for sets of
/// items (<see cref="ItemLayout"/>), per column for the row features and per item value for the items (one mean and
/// scale per value, shared by every item), in that order.
/// </summary>
internal sealed class InputStatistics
{
    private readonly int _width;
    private readonly ItemLayout? _layout;
    private readonly StandardizationAccumulator _rows;
    private readonly StandardizationAccumulator? _items;

    public InputStatistics(int featureCount, ItemLayout? layout)
    {
        _width = featureCount;
        _layout = layout;
        _rows = new StandardizationAccumulator(layout?.RowFeatures ?? featureCount);
        _items = layout is null ? null : new StandardizationAccumulator(layout.ItemWidth);
    }

    /// <summary>Adds whole rows (row-major, the feature count each).</summary>
    public void AddRows(ReadOnlySpan<float> values)
    {
        if (_layout is null)
        {
            _rows.Add(values);
            return;
        }
        int p = _layout.RowFeatures;
        for (int start = 0; start + _width <= values.Length; start += _width)
        {
            var row = values.Slice(start, _width);
            if (p > 0)
                _rows.Add(row[..p]);
            _items!.Add(row[p..]);
        }
    }

    public Standardization ToStandardization()
    {
        var rows = _rows.ToStandardization();
        if (_items is null)
            return rows;
        var items = _items.ToStandardization();
        return new Standardization([.. rows.Mean, .. items.Mean], [.. rows.Scale, .. items.Scale]);
    }
}
