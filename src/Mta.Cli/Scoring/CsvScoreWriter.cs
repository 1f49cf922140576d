using CsvHelper;
using Mta.Cli.Data;

namespace Mta.Cli.Scoring;

/// <summary>CSV output (RFC 4180, "\n" line ends, floats in round-trip form; tab separated for .tsv); commits after every batch.</summary>
internal sealed class CsvScoreWriter : ScoreWriter
{
    private readonly FileStream _stream;
    private readonly CsvWriter _csv;

    public CsvScoreWriter(string path, char separator, IReadOnlyList<OutputColumn> columns, WriterCheckpoint? resumeFrom)
    {
        _stream = new FileStream(path, resumeFrom is null ? FileMode.Create : FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        if (resumeFrom is not null)
        {
            if (_stream.Length < resumeFrom.Length)
                throw CliException.BadInput($"Cannot resume: '{path}' is shorter ({_stream.Length} bytes) than its last commit ({resumeFrom.Length}).");
            _stream.SetLength(resumeFrom.Length); // rows written after the last commit are written again
            _stream.Position = resumeFrom.Length;
        }
        _csv = CsvWriter.Create(_stream, new CsvWriterOptions { NewLine = "\n", Separator = separator }, leaveOpen: true);
        if (resumeFrom is null)
            _csv.WriteHeader([.. columns.Select(c => c.Name)]);
    }

    public override bool ShouldCommit => true;

    public override void Write(IReadOnlyList<OutputColumn> columns, int rows)
    {
        for (int r = 0; r < rows; r++)
        {
            foreach (var column in columns)
            {
                switch (column)
                {
                    case OutputColumn<float> f:
                        _csv.WriteField(ValueParser.Format(f.TypedValues[r]));
                        break;
                    case OutputColumn<double> d:
                        _csv.WriteField(d.TypedValues[r].ToString("R", System.Globalization.CultureInfo.InvariantCulture));
                        break;
                    case OutputColumn<bool> b:
                        _csv.WriteField(b.TypedValues[r] ? "true" : "false");
                        break;
                    case OutputColumn<string?> s:
                        _csv.WriteField(s.TypedValues[r]);
                        break;
                }
            }
            _csv.EndRecord();
        }
    }

    public override WriterCheckpoint Commit()
    {
        _csv.Flush();
        _stream.Flush(flushToDisk: true);
        return new WriterCheckpoint(_stream.Length, null);
    }

    public override void Dispose()
    {
        _csv.Dispose();
        _stream.Dispose();
    }
}
