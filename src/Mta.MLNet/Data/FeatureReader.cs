using Microsoft.ML;
using Microsoft.ML.Data;

namespace Mta.MLNet.Data;

/// <summary>
/// Reads a feature column's rows as floats: a vector of Single as it is, or a vector of keys (item ids of a set model)
/// as key values 1..K, with 0 for a missing key (the model's "unknown" id).
/// </summary>
internal sealed class FeatureReader
{
    private readonly ValueGetter<VBuffer<float>>? _floats;
    private readonly ValueGetter<VBuffer<uint>>? _keys;
    private VBuffer<float> _floatRow;
    private VBuffer<uint> _keyRow;

    public FeatureReader(DataViewRow row, DataViewSchema.Column column)
    {
        if (IsKeyVector(column.Type))
            _keys = row.GetGetter<VBuffer<uint>>(column);
        else
            _floats = row.GetGetter<VBuffer<float>>(column);
    }

    /// <summary>Values in the current row (after <see cref="Fetch"/>).</summary>
    public int Length { get; private set; }

    /// <summary>A vector of uint32 keys (what MapValueToKey makes), read as item ids.</summary>
    public static bool IsKeyVector(DataViewType type) => type is VectorDataViewType { ItemType: KeyDataViewType { RawType: var raw } } && raw == typeof(uint);

    /// <summary>Reads the cursor's current row; returns its length.</summary>
    public int Fetch()
    {
        if (_keys is not null)
        {
            _keys(ref _keyRow);
            return Length = _keyRow.Length;
        }
        _floats!(ref _floatRow);
        return Length = _floatRow.Length;
    }

    /// <summary>Writes the row into the first <see cref="Length"/> values of <paramref name="destination"/> (implicit zeros as 0).</summary>
    public void CopyTo(Span<float> destination)
    {
        if (_keys is null)
        {
            if (_floatRow.IsDense)
            {
                _floatRow.GetValues().CopyTo(destination);
                return;
            }
            destination[.._floatRow.Length].Clear();
            var floatValues = _floatRow.GetValues();
            var floatIndices = _floatRow.GetIndices();
            for (int i = 0; i < floatIndices.Length; i++)
                destination[floatIndices[i]] = floatValues[i];
            return;
        }
        var keys = _keyRow.GetValues();
        if (_keyRow.IsDense)
        {
            for (int i = 0; i < keys.Length; i++)
                destination[i] = keys[i];
            return;
        }
        destination[.._keyRow.Length].Clear();
        var keyIndices = _keyRow.GetIndices();
        for (int i = 0; i < keyIndices.Length; i++)
            destination[keyIndices[i]] = keys[i];
    }
}
