using System.Buffers.Binary;
using Parquet;
using Parquet.Schema;

namespace Mta.Cli.Scoring;

/// <summary>
/// Parquet output: rows are buffered and written as one row group per commit, appending to the file (Parquet.Net
/// rewrites the footer at the end). A commit records the footer bytes, so a run killed in the middle of an append
/// (which overwrites the old footer) is repaired on resume by cutting the file back and putting that footer back.
/// </summary>
internal sealed class ParquetScoreWriter : ScoreWriter
{
    private readonly FileStream _stream;
    private readonly ParquetSchema _schema;
    private readonly DataField[] _fields;
    private readonly int _rowGroupRows;
    private readonly List<Array> _pending = [];
    private readonly List<int> _pendingCounts = [];
    private readonly IReadOnlyList<OutputColumn> _columns;
    private int _pendingRows;
    private bool _hasFile;

    public ParquetScoreWriter(string path, IReadOnlyList<OutputColumn> columns, WriterCheckpoint? resumeFrom, int rowGroupRows)
    {
        _columns = columns;
        _rowGroupRows = rowGroupRows;
        _fields = columns.Select(Field).ToArray();
        _schema = new ParquetSchema(_fields);
        _stream = new FileStream(path, resumeFrom is null ? FileMode.Create : FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        if (resumeFrom is { Tail: string tail } && resumeFrom.Length > 0)
        {
            var footer = Convert.FromBase64String(tail);
            if (_stream.Length < resumeFrom.Length - footer.Length)
                throw CliException.BadInput($"Cannot resume: '{path}' is shorter than its last commit.");
            // Everything before the old footer is intact; the footer may have been overwritten by an unfinished append.
            _stream.SetLength(resumeFrom.Length - footer.Length);
            _stream.Position = _stream.Length;
            _stream.Write(footer);
            _stream.Flush(flushToDisk: true);
            _hasFile = true;
        }
    }

    public override bool ShouldCommit => _pendingRows >= _rowGroupRows;

    public override void Write(IReadOnlyList<OutputColumn> columns, int rows)
    {
        // Copy: the batch buffers are reused for the next batch.
        foreach (var column in columns)
        {
            var copy = Array.CreateInstance(column.Values.GetType().GetElementType()!, rows);
            Array.Copy(column.Values, copy, rows);
            _pending.Add(copy);
        }
        _pendingCounts.Add(rows);
        _pendingRows += rows;
    }

    public override WriterCheckpoint Commit()
    {
        if (_pendingRows > 0 || !_hasFile)
            WriteRowGroup().GetAwaiter().GetResult();
        _stream.Flush(flushToDisk: true);
        return new WriterCheckpoint(_stream.Length, Convert.ToBase64String(Footer()));
    }

    public override void Dispose() => _stream.Dispose();

    private async Task WriteRowGroup()
    {
        _stream.Position = 0;
        await using (var writer = await ParquetWriter.CreateAsync(_schema, _stream, append: _hasFile).ConfigureAwait(false))
        {
            if (_pendingRows > 0)
            {
                using var rowGroup = writer.CreateRowGroup();
                for (int c = 0; c < _fields.Length; c++)
                    await WriteColumn(rowGroup, c).ConfigureAwait(false);
                rowGroup.CompleteValidate();
            }
        }
        _hasFile = true;
        _pending.Clear();
        _pendingCounts.Clear();
        _pendingRows = 0;
    }

    private Task WriteColumn(ParquetRowGroupWriter rowGroup, int c)
    {
        var parts = Enumerable.Range(0, _pendingCounts.Count).Select(b => _pending[b * _fields.Length + c]).ToArray();
        return _columns[c].Type switch
        {
            CellType.Single => rowGroup.WriteAsync<float>(_fields[c], Concat<float>(parts).AsMemory()),
            CellType.Double => rowGroup.WriteAsync<double>(_fields[c], Concat<double>(parts).AsMemory()),
            CellType.Boolean => rowGroup.WriteAsync<bool>(_fields[c], Concat<bool>(parts).AsMemory()),
            _ => rowGroup.WriteAsync(_fields[c], Concat<string?>(parts), null),
        };
    }

    private static T[] Concat<T>(Array[] parts) => parts.SelectMany(p => (T[])p).ToArray();

    private static DataField Field(OutputColumn column) => column.Type switch
    {
        CellType.Single => new DataField(column.Name, typeof(float), isNullable: false),
        CellType.Double => new DataField(column.Name, typeof(double), isNullable: false),
        CellType.Boolean => new DataField(column.Name, typeof(bool), isNullable: false),
        _ => new DataField(column.Name, typeof(string), isNullable: true),
    };

    /// <summary>The file's footer: metadata, its 4-byte length and the closing "PAR1".</summary>
    private byte[] Footer()
    {
        Span<byte> end = stackalloc byte[8];
        _stream.Position = _stream.Length - 8;
        _stream.ReadExactly(end);
        int length = BinaryPrimitives.ReadInt32LittleEndian(end) + 8;
        var footer = new byte[length];
        _stream.Position = _stream.Length - length;
        _stream.ReadExactly(footer);
        _stream.Position = _stream.Length;
        return footer;
    }
}
