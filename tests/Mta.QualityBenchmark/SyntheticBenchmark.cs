using System.Globalization;
using System.Text;
using Mta.Models.Data;
using Mta.Models.Options;
using Mta.Models.Training;
using Mta.SampleData;

namespace Mta.QualityBenchmark;

/// <summary>
/// The MMoE paper's synthetic experiment: test MSE of shared-bottom, MMoE and our attention model as the task
/// correlation p falls. Learning rate chosen per (model, p, seed) on a validation set.
/// </summary>
internal static class SyntheticBenchmark
{
    // Standardized inputs, as in the paper: its sizes (113 shared units against 8 experts of 16) match parameter counts
    // for d = 100 inputs, which piecewise-linear bins would multiply by the bin count.
    private static readonly (string Name, NetworkOptions Network)[] Models =
    [
        ("Shared-bottom (113)", new NetworkOptions { Architecture = Architecture.SharedBottom, ExpertHiddenSizes = [113], TowerHiddenSizes = [8], Dropout = 0, NumericEncoding = NumericEncoding.Standardized }),
        ("MMoE (8×16)", new NetworkOptions { Architecture = Architecture.MixtureOfExperts, ExpertCount = 8, ExpertHiddenSizes = [16], TowerHiddenSizes = [8], Dropout = 0, NumericEncoding = NumericEncoding.Standardized }),
        ("Attention (8×16)", new NetworkOptions { Architecture = Architecture.ExpertAttention, ExpertCount = 8, ExpertHiddenSizes = [16], TowerHiddenSizes = [8], Dropout = 0, NumericEncoding = NumericEncoding.Standardized }),
    ];

    /// <summary>The model names, for choosing a subset.</summary>
    public static IEnumerable<string> Names => Models.Select(m => m.Name);

    public static string Run(double[] correlations, int seeds, double[] learningRates, int trainRows, TextWriter log, IReadOnlyCollection<string>? only = null)
    {
        var models = Models.Where(m => only is null || only.Contains(m.Name)).ToArray();
        var mse = new Dictionary<(string, double), List<double>>();
        foreach (double p in correlations)
        {
            for (int seed = 1; seed <= seeds; seed++)
            {
                var generator = new MmoeSyntheticTasks(p, seed);
                var train = generator.Generate(trainRows);
                var validation = generator.Generate(1000);
                var test = generator.Generate(1000);
                foreach (var (name, network) in models)
                {
                    double best = double.PositiveInfinity, bestTest = double.NaN;
                    foreach (double lr in learningRates)
                    {
                        var options = new TrainingOptions { LearningRate = lr, Epochs = 100, BatchSize = 128, EarlyStoppingPatience = 8, Seed = seed, WeightDecay = 0 };
                        using var model = MultiTaskTrainer.Train(MmoeSyntheticTasks.Tasks, train, validation, network, options);
                        double validMse = Mse(model, validation);
                        if (validMse < best)
                        {
                            best = validMse;
                            bestTest = Mse(model, test);
                        }
                    }
                    (mse.TryGetValue((name, p), out var list) ? list : mse[(name, p)] = []).Add(bestTest);
                    log.WriteLine($"  synthetic p={p} seed={seed} {name}: test MSE {bestTest:F4}");
                }
            }
        }

        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture, $"| model | {string.Join(" | ", correlations.Select(p => $"p = {p}"))} |");
        table.AppendLine($"|---|{string.Concat(correlations.Select(_ => "---|"))}");
        foreach (var (name, _) in models)
        {
            var cells = correlations.Select(p =>
            {
                var v = mse[(name, p)];
                return string.Create(CultureInfo.InvariantCulture, $"{v.Average():F4} ± {ModelResult.SampleSd(v):F4}");
            });
            table.AppendLine($"| {name} | {string.Join(" | ", cells)} |");
        }
        table.AppendLine();
        table.AppendLine(CultureInfo.InvariantCulture, $"Mean test MSE over both tasks and {seeds} seed(s) (± standard deviation over seeds); {trainRows} train / 1,000 validation / 1,000 test rows; learning rate chosen on validation from {{{string.Join(", ", learningRates)}}}.");
        return table.ToString();
    }

    /// <summary>Mean over the two tasks of the test mean squared error.</summary>
    private static double Mse(MultiTaskModel model, MultiTaskData data)
    {
        var predictions = model.Predict(data.Features, data.RowCount);
        return predictions.Select((p, k) => p.Score!.Zip(data.Labels[k], (a, b) => (double)(a - b) * (a - b)).Average()).Average();
    }
}
