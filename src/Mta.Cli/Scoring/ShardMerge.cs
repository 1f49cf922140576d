using CsvHelper;
using Mta.Cli.Data;

namespace Mta.Cli.Scoring;

/// <summary>
/// Joins the n shard outputs of one input into one file in input order: row r is the next row of shard r % n, unless
/// that shard skipped it as bad. Streams (memory does not grow with the files); written to <c>{output}.partial</c>,
/// renamed when every part has given exactly the rows its manifest counts.
/// </summary>
internal static class ShardMerge
{
    public static long Run(IReadOnlyList<ShardManifest> parts, string output)
    {
        if (parts.FirstOrDefault(p => TableReader.IsParquet(p.Part)) is { } parquet)
            throw CliException.Usage($"Part '{parquet.Part}': mta merge joins CSV/TSV parts; score into .csv or .tsv to merge.");
        string partial = output + ".partial";
        var readers = new List<(Stream Stream, CsvReader Csv)>();
        long rows = 0;
        try
        {
            foreach (var part in parts)
            {
                var stream = new FileStream(part.Part, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
                readers.Add((stream, CsvReader.Create(stream, new CsvReaderOptions { Separator = DataFile.DefaultSeparator(part.Part) }, leaveOpen: false)));
            }
            using (var stream = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            using (var writer = CsvWriter.Create(stream, new CsvWriterOptions { NewLine = "\n", Separator = DataFile.DefaultSeparator(output) }, leaveOpen: true))
            {
                WriteHeader(parts, readers.Select(r => r.Csv).ToArray(), writer);
                rows = Interleave(parts, readers.Select(r => r.Csv).ToArray(), writer);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }
        }
        finally
        {
            foreach (var (stream, csv) in readers)
            {
                csv.Dispose();
                stream.Dispose();
            }
        }
        File.Move(partial, output, overwrite: true);
        return rows;
    }

    private static void WriteHeader(IReadOnlyList<ShardManifest> parts, CsvReader[] readers, CsvWriter writer)
    {
        string[]? header = null;
        for (int s = 0; s < readers.Length; s++)
        {
            readers[s].ReadHeader();
            var names = readers[s].Headers.ToArray();
            header ??= names;
            if (!names.SequenceEqual(header))
                throw CliException.BadInput($"Part '{parts[s].Part}' has columns {string.Join(", ", names)}; '{parts[0].Part}' has {string.Join(", ", header)}.");
        }
        writer.WriteHeader(header!);
    }

    private static long Interleave(IReadOnlyList<ShardManifest> parts, CsvReader[] readers, CsvWriter writer)
    {
        int n = readers.Length;
        var skipped = parts.Select(p => p.State.SkippedRows.ToHashSet()).ToArray();
        var taken = new long[n];
        for (long r = 0; ; r++)
        {
            int s = (int)(r % n);
            if (skipped[s].Contains(r))
                continue;
            if (!readers[s].Read())
                break; // row r is past the input's end, and so is every later row
            for (int f = 0; f < readers[s].FieldCount; f++)
                writer.WriteField(readers[s].GetString(f));
            writer.EndRecord();
            taken[s]++;
        }
        for (int s = 0; s < n; s++)
        {
            long extra = 0;
            while (readers[s].Read())
                extra++;
            if (extra > 0)
                throw CliException.BadInput($"Part '{parts[s].Part}' ({parts[s].State.Shard}) has {extra} row(s) past where another part ends: the parts do not interleave into one input.");
            if (taken[s] != parts[s].State.RowsWritten)
                throw CliException.BadInput($"Part '{parts[s].Part}' ({parts[s].State.Shard}) has {taken[s]} rows; its manifest says {parts[s].State.RowsWritten}.");
        }
        return taken.Sum();
    }
}
