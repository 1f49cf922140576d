using Parquet;
using Parquet.Schema;

namespace Mta.Cli.Data;

/// <summary>
/// A Parquet file (flat columns), read with Parquet.Net one row group at a time: memory is bounded by the largest
/// row group, not by the file. Numbers of any width read as Single/Double (null → missing), strings as text.
/// </summary>
internal sealed class ParquetTableReader : TableReader
{
    private readonly FileStream _stream;
    private readonly ParquetReader _reader;
    private readonly DataField[] _fields;
    private readonly long _totalRows;
    private readonly Array?[] _group;
    private int _groupIndex = -1;
    private long _groupStart;
    private long _groupRows;
    private bool _groupLoaded;
    private long _rowIndex = -1;

    public ParquetTableReader(string path, IReadOnlyList<ColumnRequest> columns, RowFilter filter, bool[]? active = null) : base(path, columns, filter, active)
    {
        _stream = OpenFile(path);
        try
        {
            _reader = OpenReader(_stream, path);
            var dataFields = _reader.Schema.GetDataFields();
            var positions = Locate(path, dataFields.Select(f => f.Name).ToArray(), columns);
            _fields = positions.Select(p => dataFields[p]).ToArray();
            for (int c = 0; c < columns.Count; c++)
                CheckType(path, columns[c], _fields[c]);
            for (int g = 0; g < _reader.RowGroupCount; g++)
            {
                using var rowGroup = _reader.OpenRowGroupReader(g);
                _totalRows += rowGroup.RowCount;
            }
        }
        catch
        {
            _stream.Dispose();
            throw;
        }
        _group = new Array?[columns.Count];
    }

    public override double Fraction => _totalRows == 0 ? 1 : (double)(_rowIndex + 1) / _totalRows;

    public static IReadOnlyList<string> ReadHeaderNames(string path)
    {
        using var stream = OpenFile(path);
        var reader = OpenReader(stream, path);
        try
        {
            return reader.Schema.GetDataFields().Select(f => f.Name).ToArray();
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    protected override bool Advance(out long rowIndex)
    {
        while (_rowIndex + 1 >= _groupStart + _groupRows)
        {
            if (++_groupIndex >= _reader.RowGroupCount)
            {
                rowIndex = _rowIndex;
                return false;
            }
            _groupStart += _groupRows;
            using var rowGroup = _reader.OpenRowGroupReader(_groupIndex);
            _groupRows = rowGroup.RowCount;
            _groupLoaded = false; // read on first use: a resumed or sharded run skips groups it has no rows in
        }
        rowIndex = ++_rowIndex;
        return true;
    }

    protected override void Fill()
    {
        if (!_groupLoaded)
            LoadGroup();
        int i = checked((int)(_rowIndex - _groupStart));
        var row = Current;
        for (int c = 0; c < _fields.Length; c++)
        {
            if (!Active[c])
                continue;
            switch (Columns[c].Type)
            {
                case ColumnType.Single:
                    row.Singles[c] = (float)((double[])_group[c]!)[i];
                    break;
                case ColumnType.Double:
                    row.Doubles[c] = ((double[])_group[c]!)[i];
                    break;
                case ColumnType.Boolean:
                    row.Booleans[c] = ((bool?[])_group[c]!)[i]
                        ?? throw new BadRowException(Path, $"row {_rowIndex + 1}", _rowIndex, $"column '{Columns[c].Name}': a Boolean is null.");
                    break;
                default:
                    row.Texts[c] = (((string?[])_group[c]!)[i] ?? "").AsMemory();
                    break;
            }
        }
    }

    public override void Dispose()
    {
        _reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _stream.Dispose();
    }

    private void LoadGroup()
    {
        using var rowGroup = _reader.OpenRowGroupReader(_groupIndex);
        int rows = checked((int)_groupRows);
        for (int c = 0; c < _fields.Length; c++)
        {
            if (!Active[c])
                continue;
            var field = _fields[c];
            _group[c] = Columns[c] switch
            {
                { Positive: string positive } => ParquetColumns.ReadText(rowGroup, field, rows)
                    .Select(v => (double)ValueParser.BinaryLabel(v ?? "", positive)).ToArray(),
                { Type: ColumnType.Single or ColumnType.Double } => ParquetColumns.ReadNumbers(rowGroup, field, rows),
                { Type: ColumnType.Boolean } => ParquetColumns.Read<bool>(rowGroup, field, rows),
                _ => ParquetColumns.ReadText(rowGroup, field, rows),
            };
        }
        _groupLoaded = true;
    }

    private static void CheckType(string path, ColumnRequest column, DataField field)
    {
        bool fits = column.Positive is not null || column.Type switch
        {
            ColumnType.Single or ColumnType.Double => ParquetColumns.IsNumber(field.ClrType),
            ColumnType.Boolean => field.ClrType == typeof(bool),
            _ => ParquetColumns.IsText(field.ClrType) || ParquetColumns.IsNumber(field.ClrType),
        };
        if (!fits || field.IsArray)
            throw CliException.BadInput($"{path}: column '{column.Name}' is {(field.IsArray ? "a list of " : "")}{field.ClrType.Name} in the file; " +
                $"the model reads it as {column.Type}.");
    }

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

    private static ParquetReader OpenReader(Stream stream, string path)
    {
        try
        {
            return ParquetReader.CreateAsync(stream, null, leaveStreamOpen: true).GetAwaiter().GetResult();
        }
        catch (IOException e)
        {
            throw CliException.BadInput($"{path} is not a readable Parquet file: {e.Message}", e);
        }
    }
}
