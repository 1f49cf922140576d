using System.Collections;
using System.Diagnostics;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using Mta.MLNet;
using Mta.Models.Options;

namespace Mta.PerfBenchmark;

/// <summary>
/// Peak RSS of Fit on a lazily generated IDataView of N rows (never held in memory by the source), in streaming
/// mode, for growing N; and the in-memory mode's cost for comparison. Each measurement runs in a fresh child process,
/// because peak RSS is per process.
/// </summary>
internal static class MemoryBenchmark
{
    private const int FeatureCount = 20;

    public sealed class Row
    {
        [VectorType(FeatureCount)] public float[] Features { get; set; } = [];
        public float y0 { get; set; }
        public float y1 { get; set; }
    }

    public static string Run(IReadOnlyList<long> rowCounts, long inMemoryRows, TextWriter log)
    {
        var table = new StringBuilder();
        table.AppendLine($"Peak RSS of one Fit epoch (1 statistics pass + 1 training epoch) on a lazily generated IDataView (d = {FeatureCount}, 2 regression tasks, small net), each in a fresh process:");
        table.AppendLine();
        table.AppendLine("| mode | rows | peak RSS (MB) | fit time (s) |");
        table.AppendLine("|---|---|---|---|");
        var streamed = new List<double>();
        foreach (long rows in rowCounts)
        {
            log.WriteLine($"memory: streaming Fit on {rows:N0} rows...");
            var (mb, seconds) = Child("streaming", rows);
            streamed.Add(mb);
            table.AppendLine($"| streaming | {rows:N0} | {mb:N0} | {seconds:N0} |");
        }
        log.WriteLine($"memory: in-memory Fit on {inMemoryRows:N0} rows...");
        var (inMemoryMb, inMemorySeconds) = Child("in-memory", inMemoryRows);
        table.AppendLine($"| in memory (default) | {inMemoryRows:N0} | {inMemoryMb:N0} | {inMemorySeconds:N0} |");
        table.AppendLine();
        table.AppendLine($"Streaming: largest / smallest peak RSS = {streamed.Max() / streamed.Min():F2} across {rowCounts[0]:N0} → {rowCounts[^1]:N0} rows (target: within ±10%).");
        return table.ToString();
    }

    /// <summary>The child's side: fits once and prints "peak-mb seconds".</summary>
    public static int ChildMain(string mode, long rows)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new LazyRows(rows));
        var clock = Stopwatch.StartNew();
        using var model = ml.MultiTask().Attention(new MultiTaskOptions
        {
            Tasks = [new TaskColumn("y0"), new TaskColumn("y1")],
            // Standardized inputs keep the measured net the same across commits: this measures memory of the data path.
            Network = new NetworkOptions { ExpertCount = 4, ExpertHiddenSizes = [16], TowerHiddenSizes = [8], NumericEncoding = NumericEncoding.Standardized },
            Training = new TrainingOptions { Epochs = 1, BatchSize = 512 },
            Streaming = mode == "streaming",
        }).Fit(data);
        double seconds = clock.Elapsed.TotalSeconds;
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        Console.WriteLine($"{process.PeakWorkingSet64 / (1024.0 * 1024.0):F1} {seconds:F1}");
        return 0;
    }

    private static (double Mb, double Seconds) Child(string mode, long rows)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, ArgumentList = { "--memory-child", mode, $"{rows}" } };
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"The {mode} child for {rows:N0} rows exited with {process.ExitCode}.");
        var parts = output.Split('\n')[^1].Split(' ');
        return (double.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>N rows generated on the fly, the same rows on every enumeration (each Fit pass re-enumerates).</summary>
    private sealed class LazyRows(long count) : IEnumerable<Row>
    {
        public IEnumerator<Row> GetEnumerator()
        {
            var rng = new Random(5);
            for (long i = 0; i < count; i++)
            {
                var x = new float[FeatureCount];
                for (int j = 0; j < FeatureCount; j++)
                    x[j] = (float)(rng.NextDouble() * 2 - 1);
                yield return new Row { Features = x, y0 = x[0] + 0.5f * x[1], y1 = x[2] * x[3] };
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
