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
    public static string Run(IReadOnlyList<TrainingBenchmark.NetShape> shapes, int epochs, int threads, int batch, TextWriter log)
    {
        TorchSharp.torch.set_num_threads(threads);
        var table = new StringBuilder();
        table.AppendLine($"Step time by loss weighting: batch {batch}, {threads} threads, {epochs} epochs per run, steady-state epochs 2..{epochs}; " +
            "Fixed is measured first and last and its mean is the reference, so a drift of the machine shows as the two Fixed runs' spread.");
        table.AppendLine();
        table.AppendLine("| net | tasks | weighting | µs per step | × Fixed |");
        table.AppendLine("|---|---|---|---|---|");
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
            double first = Measure(LossWeightingKind.Fixed);
            var others = Enum.GetValues<LossWeightingKind>().Where(w => w != LossWeightingKind.Fixed).Select(w => (w, Measure(w))).ToArray();
            double last = Measure(LossWeightingKind.Fixed);
            double reference = (first + last) / 2;
            string net = $"{shape.Name}: d={shape.Features}, {shape.Experts}×{shape.ExpertWidth} experts, {shape.Rows:N0} rows";
            table.AppendLine($"| {net} | {shape.Tasks} | Fixed | {first:F0} / {last:F0} | 1.00 |");
            foreach (var (weighting, micros) in others)
                table.AppendLine($"| {net} | {shape.Tasks} | {weighting} | {micros:F0} | {micros / reference:F2} |");
        }
        return table.ToString();
    }
}
