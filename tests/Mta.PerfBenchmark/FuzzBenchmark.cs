using System.Diagnostics;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using Mta.Fuzzing;
using Mta.MLNet;

namespace Mta.PerfBenchmark;

/// <summary>The loader fuzz at scale: thousands of damaged copies of a saved model, and what each did.</summary>
internal static class FuzzBenchmark
{
    private sealed class Row
    {
        [VectorType(6)] public float[] Features { get; set; } = [];
        public bool Flag { get; set; }
        public float Amount { get; set; }
    }

    public static string Run(int count, TextWriter log)
    {
        var ml = new MLContext(seed: 1);
        // The same rows on every call: predictions of each mutated model are compared with the original's.
        IDataView Rows(MLContext context, int n)
        {
            var rng = new Random(3);
            return context.Data.LoadFromEnumerable(Enumerable.Range(0, n).Select(i =>
        {
            var x = Enumerable.Range(0, 6).Select(_ => (float)rng.NextDouble()).ToArray();
            return new Row { Features = x, Flag = x[0] > 0.5f, Amount = x.Sum() };
        }).ToArray());
        }
        var train = Rows(ml, 300);
        using var model = ml.MultiTask().Attention(new MultiTaskOptions
        {
            Tasks = [new TaskColumn("Flag"), new TaskColumn("Amount")],
            Training = new() { Epochs = 2 },
        }).Fit(train);
        using var stream = new MemoryStream();
        ml.Model.Save(model, train.Schema, stream);

        log.WriteLine($"fuzz: {count} mutated model files...");
        var clock = Stopwatch.StartNew();
        var outcomes = LoaderFuzz.Run(stream.ToArray(), count, seed: 11, context => Rows(context, 20));
        var table = new StringBuilder();
        table.AppendLine($"{count:N0} mutated copies of a saved model (truncated, bytes flipped in the zip, in an entry or in the ONNX model), " +
            $"each loaded with `MultiTask().Load` and, if it loaded, used to score 20 rows; {clock.Elapsed.TotalSeconds:F0} s. " +
            "A process crash would end the run; a hang would be listed.");
        table.AppendLine();
        table.AppendLine("| outcome | files |");
        table.AppendLine("|---|---|");
        foreach (var (outcome, files) in outcomes.OrderByDescending(o => o.Value))
            table.AppendLine($"| {outcome} | {files:N0} |");
        return table.ToString();
    }
}
