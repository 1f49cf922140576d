using Microsoft.ML.Data;

namespace Mta.Cli.Data;

/// <summary>The column types the tool reads from CSV and Parquet files.</summary>
internal enum ColumnType
{
    Single,
    Double,
    Boolean,
    Text,
}

internal static class ColumnTypes
{
    public static DataViewType ToDataViewType(this ColumnType type) => type switch
    {
        ColumnType.Single => NumberDataViewType.Single,
        ColumnType.Double => NumberDataViewType.Double,
        ColumnType.Boolean => BooleanDataViewType.Instance,
        _ => TextDataViewType.Instance,
    };

    /// <summary>The tool's type for an ML.NET column type, or null if a data file cannot supply it.</summary>
    public static ColumnType? FromDataViewType(DataViewType type) => type switch
    {
        _ when type == NumberDataViewType.Single => ColumnType.Single,
        _ when type == NumberDataViewType.Double => ColumnType.Double,
        BooleanDataViewType => ColumnType.Boolean,
        TextDataViewType => ColumnType.Text,
        _ => null,
    };
}

/// <summary>A column to read from a data file, and as what.</summary>
/// <param name="Name">Column name in the file (and in the data view).</param>
/// <param name="Type">The type to read it as.</param>
/// <param name="Positive">
/// A binary label: read as Single, 1 for this value, NaN (missing) for empty/NA, 0 for any other value.
/// </param>
/// <param name="Alias">The data view column's name, when not <paramref name="Name"/> (one file column read twice).</param>
internal sealed record ColumnRequest(string Name, ColumnType Type, string? Positive = null, string? Alias = null)
{
    public string ViewName => Alias ?? Name;
}
