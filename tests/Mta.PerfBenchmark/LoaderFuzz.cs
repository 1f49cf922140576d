using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;
using Mta.MLNet;

namespace Mta.Fuzzing;

/// <summary>
/// Loader fuzzing: mutated copies of a saved model (bytes flipped in the zip, in an entry, or in the ONNX model;
/// truncations), each loaded with <c>MultiTask().Load</c> and, if that works, used to score a few rows. Every outcome
/// must be "loaded and scored" or a managed exception, within a time limit. Shared by a test (a small seeded sample)
/// and the benchmark program (thousands).
/// </summary>
public static class LoaderFuzz
{
    public const string Scored = "loaded and scored: same predictions";
    public const string Different = "loaded and scored: DIFFERENT predictions";
    public const string Hang = "hang";
    private const int MaxHangs = 3;

    public static Dictionary<string, int> Run(byte[] zip, int count, int seed, Func<MLContext, IDataView> rows, TimeSpan? limit = null)
    {
        var rng = new Random(seed);
        var outcomes = new Dictionary<string, int>();
        string original = Path.Combine(Path.GetTempPath(), $"mta-fuzz-original-{Guid.NewGuid():N}.zip");
        File.WriteAllBytes(original, zip);
        var expected = Predictions(new MLContext(seed: 1).MultiTask().Load(original, out _), rows);
        File.Delete(original);
        string path = Path.Combine(Path.GetTempPath(), $"mta-fuzz-{Guid.NewGuid():N}.zip");
        try
        {
            for (int i = 0; i < count; i++)
            {
                var (bytes, mutation) = Mutate(zip, rng);
                File.WriteAllBytes(path, bytes);
                var attempt = Task.Run(() => Attempt(path, rows, expected));
                string outcome = attempt.Wait(limit ?? TimeSpan.FromSeconds(90)) ? attempt.Result : Hang; // beyond the loader's own 30 s deadline
                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
                if (outcome == Hang)
                {
                    // Keep the file for a bug report. A hung attempt cannot be stopped (it keeps a thread), so give up after a few.
                    string kept = Path.Combine(Path.GetTempPath(), $"mta-fuzz-hang-{seed}-{i}.zip");
                    File.Copy(path, kept, overwrite: true);
                    outcomes[$"hang: file {i}, {mutation}"] = 1;
                    if (outcomes[Hang] >= MaxHangs)
                        break;
                }
            }
        }
        finally
        {
            File.Delete(path);
        }
        return outcomes;
    }

    private static string Attempt(string path, Func<MLContext, IDataView> rows, string expected)
    {
        var ml = new MLContext(seed: 1);
        ITransformer model;
        try
        {
            model = ml.MultiTask().Load(path, out _);
        }
        catch (Exception e)
        {
            return $"load failed: {e.GetType().Name}";
        }
        try
        {
            return Predictions(model, rows) == expected ? Scored : Different;
        }
        catch (Exception e)
        {
            // The file loaded (its damage was in a part that is only read when scoring, e.g. the saved input schema).
            return $"loaded, scoring failed: {e.GetType().Name}";
        }
        finally
        {
            (model as IDisposable)?.Dispose();
        }
    }

    /// <summary>Every prediction column's values (scores, probabilities, labels, attention) as text, row by row.</summary>
    private static string Predictions(ITransformer model, Func<MLContext, IDataView> rows)
    {
        var scored = model.Transform(rows(new MLContext(seed: 1)));
        var columns = scored.Schema.Where(c => !c.IsHidden && c.Name.Contains('.', StringComparison.Ordinal)).ToArray();
        using var cursor = scored.GetRowCursor(columns);
        var text = new System.Text.StringBuilder();
        var getters = columns.Select(c => Getter(cursor, c)).ToArray();
        while (cursor.MoveNext())
        {
            foreach (var getter in getters)
                text.Append(getter()).Append(';');
            text.AppendLine();
        }
        return text.ToString();
    }

    private static Func<string> Getter(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var type = column.Type is VectorDataViewType v ? v.ItemType : column.Type;
        if (column.Type is VectorDataViewType)
        {
            var get = cursor.GetGetter<VBuffer<float>>(column);
            return () =>
            {
                var value = default(VBuffer<float>);
                get(ref value);
                return string.Join(",", value.DenseValues().Select(f => f.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
            };
        }
        if (type == NumberDataViewType.Single)
        {
            var get = cursor.GetGetter<float>(column);
            return () => { float value = 0; get(ref value); return value.ToString("R", System.Globalization.CultureInfo.InvariantCulture); };
        }
        if (type is BooleanDataViewType)
        {
            var get = cursor.GetGetter<bool>(column);
            return () => { bool value = false; get(ref value); return value ? "1" : "0"; };
        }
        if (type is KeyDataViewType)
        {
            var get = cursor.GetGetter<uint>(column);
            return () => { uint value = 0; get(ref value); return value.ToString(System.Globalization.CultureInfo.InvariantCulture); };
        }
        return () => "?";
    }

    private static (byte[] Bytes, string Mutation) Mutate(byte[] zip, Random rng)
    {
        switch (rng.Next(4))
        {
            case 0: // truncate
                int length = rng.Next(zip.Length);
                return (zip[..length], $"truncated at {length}");
            case 1: // flip bytes of the zip itself
                return (Flip(zip, rng), "bytes flipped in the zip");
            default: // flip bytes inside one entry (the ONNX model half of the time), keeping the zip valid
                using (var input = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read))
                {
                    var entries = input.Entries.ToArray();
                    var victim = rng.Next(2) == 0 ? entries.First(e => e.Name == "OnnxModel") : entries[rng.Next(entries.Length)];
                    using var output = new MemoryStream();
                    using (var rewritten = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
                    {
                        foreach (var entry in entries)
                        {
                            using var source = entry.Open();
                            using var buffer = new MemoryStream();
                            source.CopyTo(buffer);
                            var bytes = buffer.ToArray();
                            if (entry == victim && bytes.Length > 0)
                                bytes = Flip(bytes, rng);
                            using var target = rewritten.CreateEntry(entry.FullName).Open();
                            target.Write(bytes);
                        }
                    }
                    return (output.ToArray(), $"bytes flipped in entry {victim.FullName}");
                }
        }
    }

    private static byte[] Flip(byte[] bytes, Random rng)
    {
        var copy = (byte[])bytes.Clone();
        int flips = 1 + rng.Next(8);
        for (int f = 0; f < flips; f++)
            copy[rng.Next(copy.Length)] ^= (byte)(1 + rng.Next(255));
        return copy;
    }
}
