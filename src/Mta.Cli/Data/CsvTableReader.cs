using CsvHelper;

namespace Mta.Cli.Data;

/// <summary>A CSV file with a header row (RFC 4180, UTF-8, the file's separator: comma, tab, semicolon…), read with CsvHelper.</summary>
internal sealed class CsvTableReader : TableReader
{

    private readonly FileStream _stream;
    private readonly CsvReader _csv;
    private readonly int[] _positions;
    private readonly int _fieldCount;
    private long _rowIndex = -1;

    public CsvTableReader(DataFile file, IReadOnlyList<ColumnRequest> columns, RowFilter filter, bool[]? active = null) : base(file.Path, columns, filter, active)
    {
        _stream = OpenFile(file.Path);
        try
        {
            _csv = CsvReader.Create(_stream, Options(file), leaveOpen: true);
            var header = ReadHeader(_csv, file);
            _fieldCount = header.Length;
            _positions = Locate(file.Path, header, columns);
        }
        catch
        {
            _stream.Dispose();
            throw;
        }
    }

    public override double Fraction => _stream.Length == 0 ? 1 : (double)_stream.Position / _stream.Length;

    public static IReadOnlyList<string> ReadHeaderNames(DataFile file)
    {
        using var stream = OpenFile(file.Path);
        using var csv = CsvReader.Create(stream, Options(file), leaveOpen: true);
        return ReadHeader(csv, file);
    }

    private static CsvReaderOptions Options(DataFile file) => new()
    {
        Separator = file.Separator,
        HasHeader = true,
        TrackLineNumbers = true,
        PoolStrings = true,
    };

    protected override bool Advance(out long rowIndex)
    {
        rowIndex = _rowIndex;
        if (!_csv.Read())
            return false;
        rowIndex = ++_rowIndex;
        return true;
    }

    protected override void Fill()
    {
        if (_csv.FieldCount != _fieldCount)
            throw Bad(null, $"{_csv.FieldCount} fields, but the header has {_fieldCount}.");
        var row = Current;
        for (int c = 0; c < _positions.Length; c++)
        {
            if (!Active[c])
                continue;
            int p = _positions[c];
            switch (Columns[c].Type)
            {
                case ColumnType.Single when Columns[c].Positive is string positive:
                    row.Singles[c] = ValueParser.BinaryLabel(_csv.GetString(p), positive);
                    break;
                case ColumnType.Single:
                    row.Singles[c] = (float)Number(c, p);
                    break;
                case ColumnType.Double:
                    row.Doubles[c] = Number(c, p);
                    break;
                case ColumnType.Boolean:
                    row.Booleans[c] = ValueParser.TryParseBoolean(_csv.GetString(p), out bool flag) ? flag
                        : throw Bad(c, $"'{_csv.GetString(p)}' is not a Boolean (1/0, true/false, t/f, yes/no, y/n).");
                    break;
                default:
                    row.Texts[c] = _csv.GetString(p).AsMemory();
                    break;
            }
        }
    }

    public override void Dispose()
    {
        _csv.Dispose();
        _stream.Dispose();
    }

    private double Number(int column, int position)
    {
        if (_csv.IsEmpty(position))
            return double.NaN;
        if (_csv.TryParse(position, out double value))
            return value;
        string text = _csv.GetString(position);
        return ValueParser.TryParseNumber(text, out value) ? value : throw Bad(column, $"'{text}' is not a number.");
    }

    private BadRowException Bad(int? column, string message) => new(Path, $"line {_csv.LineNumber}", Current.RowIndex,
        column is int c ? $"column '{Columns[c].Name}': {message}" : message);

    private static FileStream OpenFile(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            throw CliException.BadInput($"Cannot read data file '{path}': {e.Message}", e);
        }
    }

    private static string[] ReadHeader(CsvReader csv, DataFile file)
    {
        csv.ReadHeader();
        var header = csv.Headers.ToArray();
        if (header.Length == 0)
            throw CliException.BadInput($"{file}: the file is empty; a CSV file needs a header row.");
        var duplicate = header.GroupBy(h => h, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw CliException.BadInput($"{file}: column '{duplicate.Key}' appears twice in the header.");
        return header;
    }
}
