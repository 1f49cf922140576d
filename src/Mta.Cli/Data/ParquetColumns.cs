using Parquet;
using Parquet.Schema;

namespace Mta.Cli.Data;

/// <summary>Reads one column of a Parquet row group as the array type the tool uses.</summary>
internal static class ParquetColumns
{
    private static readonly Type[] s_numberTypes =
        [typeof(float), typeof(double), typeof(int), typeof(long), typeof(short), typeof(byte), typeof(sbyte), typeof(ushort), typeof(uint), typeof(ulong), typeof(decimal)];

    /// <summary>Parquet.Net reports UTF-8 columns of a file as ReadOnlyMemory&lt;char&gt; and those it writes as string.</summary>
    public static bool IsText(Type type) => type == typeof(string) || type == typeof(ReadOnlyMemory<char>);

    /// <summary>Numbers of any width, and Booleans as 1/0.</summary>
    public static bool IsNumber(Type type) => s_numberTypes.Contains(type) || type == typeof(bool);

    /// <summary>Any numeric column as doubles; null → NaN (missing).</summary>
    public static double[] ReadNumbers(ParquetRowGroupReader rowGroup, DataField field, int rows) => field.ClrType switch
    {
        var t when t == typeof(float) => ToDouble(Read<float>(rowGroup, field, rows), v => v),
        var t when t == typeof(double) => ToDouble(Read<double>(rowGroup, field, rows), v => v),
        var t when t == typeof(int) => ToDouble(Read<int>(rowGroup, field, rows), v => v),
        var t when t == typeof(long) => ToDouble(Read<long>(rowGroup, field, rows), v => v),
        var t when t == typeof(short) => ToDouble(Read<short>(rowGroup, field, rows), v => v),
        var t when t == typeof(byte) => ToDouble(Read<byte>(rowGroup, field, rows), v => v),
        var t when t == typeof(sbyte) => ToDouble(Read<sbyte>(rowGroup, field, rows), v => v),
        var t when t == typeof(ushort) => ToDouble(Read<ushort>(rowGroup, field, rows), v => v),
        var t when t == typeof(uint) => ToDouble(Read<uint>(rowGroup, field, rows), v => v),
        var t when t == typeof(ulong) => ToDouble(Read<ulong>(rowGroup, field, rows), v => v),
        var t when t == typeof(bool) => ToDouble(Read<bool>(rowGroup, field, rows), v => v ? 1 : 0),
        _ => ToDouble(Read<decimal>(rowGroup, field, rows), v => (double)v),
    };

    /// <summary>Any column as text: strings as they are, numbers in round-trip form, null → empty (missing).</summary>
    public static string?[] ReadText(ParquetRowGroupReader rowGroup, DataField field, int rows)
    {
        if (IsText(field.ClrType))
            return ReadStrings(rowGroup, field, rows);
        if (field.ClrType == typeof(bool))
            return Read<bool>(rowGroup, field, rows).Select(v => v is bool b ? (b ? "true" : "false") : null).ToArray();
        return ReadNumbers(rowGroup, field, rows).Select(v => double.IsNaN(v) ? null : v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>A column of <typeparamref name="T"/>, nullable or not, as nullable values.</summary>
    public static T?[] Read<T>(ParquetRowGroupReader rowGroup, DataField field, int rows) where T : struct
    {
        var values = new T?[rows];
        if (field.IsNullable)
        {
            rowGroup.ReadAsync<T>(field, values.AsMemory(), null, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            return values;
        }
        var required = new T[rows];
        rowGroup.ReadAsync<T>(field, required.AsMemory(), null, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        for (int i = 0; i < rows; i++)
            values[i] = required[i];
        return values;
    }

    private static string?[] ReadStrings(ParquetRowGroupReader rowGroup, DataField field, int rows)
    {
        var values = new string?[rows];
        rowGroup.ReadAsync(field, values.AsMemory(), null, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return values;
    }

    private static double[] ToDouble<T>(T?[] values, Func<T, double> convert) where T : struct
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
            result[i] = values[i] is T v ? convert(v) : double.NaN;
        return result;
    }
}
