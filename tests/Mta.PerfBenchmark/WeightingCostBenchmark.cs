using System.Text;
using Mta.Models.Data;
using Mta.Models.Options;
using Mta.Models.Training;
using Mta.Models.Weighting;

namespace Mta.PerfBenchmark;

/// <summary>
/// The training step time of every loss weighting against Fixed on the benchmark's nets: the gradient methods
/// back-propagate each task on its own, so their step costs about K backward passes.
/// </summary>
internal static class WeightingCostBenchmark
{
    private const int Repeats = 3;

    public static string Run(IReadOnlyList<TrainingBenchmark.NetShape> shapes, int epochs, int threads, int batch, TextWriter log)
    {
        TorchSharp.torch.set_num_threads(threads);
        var table = new StringBuilder();
        table.AppendLine($"Step time by loss weighting: batch {batch}, {threads} threads, {epochs} epochs per run, steady-state epochs 2..{epochs}; " +
            $"each weighting is measured right after a Fixed run, its reference, {Repeats} times; the table has the median pair and, in brackets, the lowest and highest ratio.");
        table.AppendLine();
        table.AppendLine("| net | tasks | weighting | µs per step | Fixed µs per step (just before) | × Fixed |");
        table.AppendLine("|---|---|---|---|---|---|");
        foreach (var shape in shapes)
        {
            var (x, labels, tasks) = TrainingBenchmark.Data(shape);
            double Measure(LossWeightingKind weighting)
            {
                log.WriteLine($"weighting cost {shape.Name}: {weighting}...");
                var network = new NetworkOptions
                {
                    ExpertCount = shape.Experts, ExpertHiddenSizes = [shape.ExpertWidth], TowerHiddenSizes = [shape.Tower], Dropout = 0,
                    NumericEncoding = NumericEncoding.Standardized,
                };
                var training = new TrainingOptions
                {
                    Epochs = epochs, BatchSize = batch, ValidationFraction = 0, EarlyStoppingPatience = 0, WeightAverageDecay = 0,
                    LossWeighting = weighting, MinimumEpochSteps = 1,
                };
                using var model = MultiTaskTrainer.Train(tasks, new MultiTaskData(x, shape.Features, labels), null, network, training);
                return 1e6 * batch / model.History.Skip(1).Average(e => e.SamplesPerSecond);
            }
            // Each weighting right after a Fixed run of its own: a machine that slows down or speeds up between
            // weightings then shifts both sides of a ratio, not one.
            string net = $"{shape.Name}: d={shape.Features}, {shape.Experts}×{shape.ExpertWidth} experts, {shape.Rows:N0} rows";
            foreach (var weighting in Enum.GetValues<LossWeightingKind>().Where(w => w != LossWeightingKind.Fixed))
            {
                var pairs = Enumerable.Range(0, Repeats).Select(_ => (Fixed: Measure(LossWeightingKind.Fixed), Method: Measure(weighting)))
                    .OrderBy(p => p.Method / p.Fixed).ToArray();
                var (reference, micros) = pairs[Repeats / 2];
                table.AppendLine($"| {net} | {shape.Tasks} | {weighting} | {micros:F0} | {reference:F0} | {micros / reference:F2} ({pairs[0].Method / pairs[0].Fixed:F2}–{pairs[^1].Method / pairs[^1].Fixed:F2}) |");
            }
        }
        return table.ToString();
    }
}
