using System.Diagnostics;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Mta.MLNet;
using Mta.Models.Options;

namespace Mta.PerfBenchmark;

/// <summary>
/// Scoring rows/s on one exported model (the small training net, two regression tasks), four ways: our transformer
/// over an IDataView, ML.NET's ApplyOnnxModel on the same network, ML.NET's PredictionEngine, and a tight ONNX
/// Runtime loop with preallocated inputs and outputs (the upper bound).
/// </summary>
internal static class ScoringBenchmark
{
    private const int FeatureCount = 100;

    public sealed class Row
    {
        [VectorType(FeatureCount)] public float[] Features { get; set; } = [];
        public float y0 { get; set; }
        public float y1 { get; set; }
    }

    public sealed class Prediction
    {
        [ColumnName("y0.Score")] public float Y0 { get; set; }
        [ColumnName("y1.Score")] public float Y1 { get; set; }
        [ColumnName("y0.Attention")] public float[] A0 { get; set; } = [];
        [ColumnName("y1.Attention")] public float[] A1 { get; set; } = [];
    }

    public static string Run(int rows, IReadOnlyList<int> batchSizes, TextWriter log)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(MakeRows(rows));
        var cached = ml.Data.Cache(data);
        Count(cached, ["Features"]); // fill the cache: every path reads rows from memory

        var table = new StringBuilder();
        table.AppendLine($"Scoring {rows:N0} rows of d = {FeatureCount} (small net, 2 regression tasks; outputs: each task's score and attention). Rows/s, best of 3.");
        table.AppendLine();

        using var reference = Fit(ml, data, batch: 1024);
        string singleRowPath = Path.Combine(Path.GetTempPath(), $"mta-perf-{Environment.ProcessId}.onnx");
        File.WriteAllBytes(singleRowPath, reference.SingleRowOnnxModel);
        double applyOnnx, engine;
        try
        {
            log.WriteLine("scoring: ML.NET ApplyOnnxModel...");
            string[] outputs = ["y0.Score.Vector", "y1.Score.Vector", "y0.Attention", "y1.Attention"];
            var apply = ml.Transforms.ApplyOnnxModel(outputs, ["Features"], singleRowPath).Fit(cached);
            applyOnnx = Best(() => Count(apply.Transform(cached), outputs), rows);
            (apply as IDisposable)?.Dispose();
        }
        finally
        {
            File.Delete(singleRowPath);
        }
        log.WriteLine("scoring: PredictionEngine...");
        var predictor = ml.Model.CreatePredictionEngine<Row, Prediction>(reference);
        var input = MakeRows(rows).ToArray();
        engine = Best(() => { foreach (var row in input) predictor.Predict(row); return input.Length; }, rows);

        table.AppendLine($"ML.NET ApplyOnnxModel (one row per ONNX Runtime call by design): **{applyOnnx:N0}** rows/s; " +
            $"PredictionEngine over our transformer: **{engine:N0}** rows/s.");
        table.AppendLine();
        table.AppendLine("| batch size | our Transform + cursor | raw ONNX Runtime loop | ours / raw ORT | ours / ApplyOnnxModel |");
        table.AppendLine("|---|---|---|---|---|");
        foreach (int batch in batchSizes)
        {
            log.WriteLine($"scoring: batch {batch}...");
            using var model = Fit(ml, data, batch);
            string[] columns = ["y0.Score", "y1.Score", "y0.Attention", "y1.Attention"];
            double ours = Best(() => Count(model.Transform(cached), columns), rows);
            using var rawSession = new RawOrtLoop(model.BatchedOnnxModel, batch);
            double raw = Best(() => rawSession.Score(input), rows);
            table.AppendLine($"| {batch} | {ours:N0} | {raw:N0} | {ours / raw:F2} | {ours / applyOnnx:F1} |");
        }
        return table.ToString();
    }

    /// <summary>The same model each time (same data, options and seed); only the scoring batch size differs.</summary>
    private static MultiTaskTransformer Fit(MLContext ml, IDataView data, int batch) =>
        ml.MultiTask().Attention(new MultiTaskOptions
        {
            Tasks = [new TaskColumn("y0"), new TaskColumn("y1")],
            // Standardized inputs keep the measured net the same across commits: this measures the scoring path, not the encoding.
            Network = new NetworkOptions { ExpertCount = 8, ExpertHiddenSizes = [16], TowerHiddenSizes = [8], NumericEncoding = NumericEncoding.Standardized },
            Training = new TrainingOptions { Epochs = 1, Seed = 1 },
            ScoringBatchSize = batch,
        }).Fit(data);

    /// <summary>Reads every value of <paramref name="columns"/> through a cursor; returns the row count.</summary>
    private static int Count(IDataView view, string[] columns)
    {
        var cols = columns.Select(c => view.Schema[c]).ToArray();
        using var cursor = view.GetRowCursor(cols);
        var readers = cols.Select(c => c.Type is VectorDataViewType ? VectorReader(cursor, c) : ScalarReader(cursor, c)).ToArray();
        int n = 0;
        while (cursor.MoveNext())
        {
            foreach (var read in readers)
                read();
            n++;
        }
        return n;
    }

    private static Action ScalarReader(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var getter = cursor.GetGetter<float>(column);
        float value = 0;
        return () => getter(ref value);
    }

    private static Action VectorReader(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        var value = default(VBuffer<float>);
        return () => getter(ref value);
    }

    private static double Best(Func<int> run, int rows)
    {
        double best = 0;
        for (int i = 0; i < 3; i++)
        {
            var clock = Stopwatch.StartNew();
            int n = run();
            if (n != rows)
                throw new InvalidOperationException($"Scored {n} rows, expected {rows}.");
            best = Math.Max(best, rows / clock.Elapsed.TotalSeconds);
        }
        return best;
    }

    private static IEnumerable<Row> MakeRows(int rows)
    {
        var rng = new Random(3);
        for (int i = 0; i < rows; i++)
        {
            var x = new float[FeatureCount];
            for (int j = 0; j < FeatureCount; j++)
                x[j] = (float)(rng.NextDouble() * 2 - 1);
            yield return new Row { Features = x, y0 = x[0] + x[1], y1 = x[2] - x[3] };
        }
    }
}
