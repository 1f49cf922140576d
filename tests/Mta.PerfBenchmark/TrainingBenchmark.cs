using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Mta.Models.Data;
using Mta.Models.Options;
using Mta.Models.Tasks;
using Mta.Models.Training;

namespace Mta.PerfBenchmark;

/// <summary>Training samples/s of Mta.Models against the same net and loop in PyTorch, and our step-time breakdown.</summary>
internal static class TrainingBenchmark
{
    public sealed record NetShape(string Name, int Features, int Experts, int ExpertWidth, int Tower, int Tasks, int Rows);

    public static readonly NetShape Small = new("small (MMoE synthetic shape)", 100, 8, 16, 8, 2, 50_000);
    public static readonly NetShape Big = new("big", 512, 8, 256, 64, 3, 20_000);

    public static string Run(IReadOnlyList<NetShape> shapes, int epochs, int threads, int batch, int repeats, string python, TextWriter log)
    {
        TorchSharp.torch.set_num_threads(threads);
        var table = new StringBuilder();
        table.AppendLine($"Training: batch {batch}, Adam, {threads} threads, {epochs} epochs per run; samples/s averaged over epochs 2..{epochs} (the first is warm-up). " +
            $"Ours and PyTorch run alternately, {repeats} times each; the table has the median run and, in brackets, the slowest and fastest.");
        table.AppendLine();
        table.AppendLine("| net | rows | Mta.Models samples/s | PyTorch samples/s | ours / PyTorch |");
        table.AppendLine("|---|---|---|---|---|");
        double peak = GemmPeak.Measure();
        var arithmetic = new StringBuilder();
        arithmetic.AppendLine($"Arithmetic throughput against this CPU's GEMM peak ({GemmPeak.Size}×{GemmPeak.Size} float matmul, best of {GemmPeak.Repetitions}, {threads} threads, libtorch): **{peak:F1}** GFLOP/s.");
        arithmetic.AppendLine();
        arithmetic.AppendLine("| net | training FLOPs per sample | achieved GFLOP/s | share of GEMM peak |");
        arithmetic.AppendLine("|---|---|---|---|");
        var breakdown = new StringBuilder();
        breakdown.AppendLine("Our step time by phase (steady-state epochs, share of the measured step time):");
        breakdown.AppendLine();
        breakdown.AppendLine("| net | data | forward | backward | optimizer | read-back + dispose | µs per step |");
        breakdown.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var shape in shapes)
        {
            // Alternating runs: a slow spell of a shared machine then hits both sides, not one.
            var ourRuns = new List<(double Rate, StepTimings Timings, long Steps)>();
            var torchRuns = new List<double>();
            string version = "";
            for (int r = 0; r < repeats; r++)
            {
                log.WriteLine($"training {shape.Name}: Mta.Models (run {r + 1}/{repeats})...");
                ourRuns.Add(RunOurs(shape, epochs, batch));
                log.WriteLine($"training {shape.Name}: PyTorch (run {r + 1}/{repeats})...");
                var (rate, v) = RunPyTorch(shape, epochs, batch, threads, python);
                version = v;
                if (rate is double t)
                    torchRuns.Add(t);
            }
            var (ours, timings, steps) = ourRuns.OrderBy(o => o.Rate).ElementAt(ourRuns.Count / 2);
            double? torch = torchRuns.Count == 0 ? null : torchRuns.Order().ElementAt(torchRuns.Count / 2);
            string Range(IEnumerable<double> rates) => $"{rates.Min():N0}–{rates.Max():N0}";
            table.AppendLine($"| {shape.Name}: d={shape.Features}, {shape.Experts}×{shape.ExpertWidth} experts, towers {shape.Tower}, {shape.Tasks} tasks | {shape.Rows:N0} | " +
                $"{ours:N0} ({Range(ourRuns.Select(o => o.Rate))}) | " +
                (torch is null ? $"n/a ({version}) | n/a |" : $"{torch:N0} ({Range(torchRuns)}) | {ours / torch:F2} |"));
            double total = timings.Total;
            string Share(double v) => $"{100 * v / total:F1}%";
            breakdown.AppendLine($"| {shape.Name} | {Share(timings.Data)} | {Share(timings.Forward)} | {Share(timings.Backward)} | {Share(timings.Optimizer)} | {Share(timings.Overhead)} | {1e6 * total / steps:F0} |");
            if (torch is not null)
                table.Replace("PyTorch samples/s", $"PyTorch {version} samples/s");
            double flops = GemmPeak.TrainingFlopsPerSample(shape);
            arithmetic.AppendLine($"| {shape.Name} | {flops / 1e6:F2} M | {flops * ours / 1e9:F1} | {100 * flops * ours / 1e9 / peak:F0}% |");
        }
        table.AppendLine();
        table.Append(breakdown);
        table.AppendLine();
        table.Append(arithmetic);
        return table.ToString();
    }

    private static (double SamplesPerSecond, StepTimings Timings, long Steps) RunOurs(NetShape shape, int epochs, int batch)
    {
        var (x, labels, tasks) = Data(shape);
        // Standardized inputs and no weight averaging: the PyTorch reference is the same network without piecewise-linear
        // bins, stepped by plain Adam.
        var network = new NetworkOptions
        {
            ExpertCount = shape.Experts, ExpertHiddenSizes = [shape.ExpertWidth], TowerHiddenSizes = [shape.Tower], Dropout = 0,
            NumericEncoding = NumericEncoding.Standardized,
        };
        var training = new TrainingOptions { Epochs = epochs, BatchSize = batch, LearningRate = 1e-3, ValidationFraction = 0, EarlyStoppingPatience = 0, WeightAverageDecay = 0 };
        using var model = MultiTaskTrainer.Train(tasks, new MultiTaskData(x, shape.Features, labels), null, network, training);
        var steady = model.History.Skip(1).ToArray();
        double rate = steady.Average(e => e.SamplesPerSecond);
        var t = new StepTimings(steady.Sum(e => e.Timings.Data), steady.Sum(e => e.Timings.Forward), steady.Sum(e => e.Timings.Backward),
            steady.Sum(e => e.Timings.Optimizer), steady.Sum(e => e.Timings.Overhead));
        long steps = steady.Length * (long)Math.Ceiling(shape.Rows / (double)batch);
        return (rate, t, steps);
    }

    /// <summary>Uniform features and regression labels in [−1, 1] for a net shape (seeded: every run trains on the same rows).</summary>
    public static (float[] X, float[][] Labels, TaskSpec[] Tasks) Data(NetShape shape)
    {
        var rng = new Random(1);
        var x = new float[(long)shape.Rows * shape.Features];
        for (long i = 0; i < x.Length; i++)
            x[i] = (float)(rng.NextDouble() * 2 - 1);
        var labels = Enumerable.Range(0, shape.Tasks).Select(_ => Enumerable.Range(0, shape.Rows).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray()).ToArray();
        var tasks = Enumerable.Range(0, shape.Tasks).Select(k => new TaskSpec($"y{k}", TaskKind.Regression)).ToArray();
        return (x, labels, tasks);
    }

    /// <summary>Runs pytorch_reference.py; (null, reason) when PyTorch is not installed.</summary>
    private static (double? SamplesPerSecond, string Version) RunPyTorch(NetShape shape, int epochs, int batch, int threads, string python)
    {
        string script = Path.Combine(AppContext.BaseDirectory, "pytorch_reference.py");
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                script, "--features", $"{shape.Features}", "--experts", $"{shape.Experts}", "--expert-width", $"{shape.ExpertWidth}",
                "--tower", $"{shape.Tower}", "--tasks", $"{shape.Tasks}", "--rows", $"{shape.Rows}", "--batch", $"{batch}",
                "--epochs", $"{epochs}", "--threads", $"{threads}",
            },
        };
        try
        {
            using var process = Process.Start(start)!;
            string stdout = process.StandardOutput.ReadToEnd();
            string stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
                return (null, stderr.Contains("No module named 'torch'", StringComparison.Ordinal) ? "PyTorch not installed: apt-get install python3-torch libopenblas0-pthread" : $"exit {process.ExitCode}");
            using var json = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]);
            return (json.RootElement.GetProperty("samples_per_second").GetDouble(), json.RootElement.GetProperty("torch").GetString() ?? "?");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (null, $"{python}: {e.Message}");
        }
    }
}
