using System.Globalization;
using Parquet;
using Parquet.Schema;

namespace Mta.Cli.Tests;

/// <summary>Parquet test files, written and read with Parquet.Net directly (not through the tool).</summary>
internal static class ParquetFiles
{
    /// <summary>The CSV's columns as Parquet: numeric columns as nullable doubles, the others as strings.</summary>
    public static async Task WriteFromCsv(string csv, string parquet)
    {
        var lines = File.ReadAllLines(csv);
        var header = lines[0].Split(',').Select(h => h.Trim('"')).ToArray();
        var rows = lines.Skip(1).Select(l => l.Split(',').Select(f => f.Trim('"')).ToArray()).ToArray();
        var numeric = header.Select((_, c) => rows.All(r => r[c].Length == 0 || double.TryParse(r[c], NumberStyles.Float, CultureInfo.InvariantCulture, out double _))).ToArray();
        var fields = header.Select((h, c) => new DataField(h, numeric[c] ? typeof(double) : typeof(string), isNullable: true)).ToArray();
        await using var stream = File.Create(parquet);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
        using var group = writer.CreateRowGroup();
        for (int c = 0; c < header.Length; c++)
        {
            if (numeric[c])
                await group.WriteAsync<double>(fields[c], rows.Select(r => r[c].Length == 0 ? (double?)null : double.Parse(r[c], CultureInfo.InvariantCulture)).ToArray().AsMemory());
            else
                await group.WriteAsync(fields[c], rows.Select(r => r[c]).ToArray(), null);
        }
        group.CompleteValidate();
    }

    public static async Task<(object?[] First, object?[] Second)> ReadColumns(string parquet, string first, string second)
    {
        await using var stream = File.OpenRead(parquet);
        await using var reader = await ParquetReader.CreateAsync(stream);
        var fields = reader.Schema.GetDataFields();
        var a = new List<object?>();
        var b = new List<object?>();
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            int rows = (int)group.RowCount;
            var strings = new string?[rows];
            await group.ReadAsync(fields.Single(f => f.Name == first), strings.AsMemory());
            var floats = new float[rows];
            await group.ReadAsync<float>(fields.Single(f => f.Name == second), floats.AsMemory());
            a.AddRange(strings);
            b.AddRange(floats.Cast<object?>());
        }
        return (a.ToArray(), b.ToArray());
    }
}
