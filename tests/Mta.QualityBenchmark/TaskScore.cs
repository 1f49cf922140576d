using Mta.Models.Tasks;

namespace Mta.QualityBenchmark;

/// <summary>
/// One model's metrics on one task. Binary: AUC. Multiclass: macro-accuracy, log-loss, the recall per class and the
/// macro-accuracy under <see cref="BalancedRule"/> (null for a model that already decides that way). Regression: R², RMSE.
/// </summary>
internal sealed record TaskScore(string Task, TaskKind Kind, double Main, double? Secondary, IReadOnlyList<double>? PerClassRecall = null,
    double? BalancedMacroAccuracy = null)
{
    public string MainName => Kind switch { TaskKind.Binary => "AUC", TaskKind.Multiclass => "MacroAcc", _ => "R²" };

    public string? SecondaryName => Kind switch { TaskKind.Binary => null, TaskKind.Multiclass => "LogLoss", _ => "RMSE" };

    /// <summary>(value, higher is better) for every metric, as LibMTL's Δ_MTL uses them.</summary>
    public IEnumerable<(double Value, bool HigherIsBetter)> All()
    {
        yield return (Main, true);
        if (Secondary is double s)
            yield return (s, false);
    }
}

/// <summary>One model on one data set.</summary>
internal sealed record ModelResult(string Model, IReadOnlyList<TaskScore> Tasks, double FitSeconds, long ModelBytes)
{
    public double MeanMain => Tasks.Average(t => t.Main);

    /// <summary>Over several seeds: the standard deviation of <see cref="MeanMain"/> across them (null for one run).</summary>
    public double? MeanMainSd { get; init; }

    /// <summary>The runs of one model with different seeds: every metric (and fit time) averaged.</summary>
    public static ModelResult Average(IReadOnlyList<ModelResult> runs)
    {
        var tasks = runs[0].Tasks.Select((t, k) => t with
        {
            Main = runs.Average(r => r.Tasks[k].Main),
            Secondary = t.Secondary is null ? null : runs.Average(r => r.Tasks[k].Secondary!.Value),
            PerClassRecall = t.PerClassRecall is null ? null
                : t.PerClassRecall.Select((_, c) => runs.Average(r => r.Tasks[k].PerClassRecall![c])).ToArray(),
            BalancedMacroAccuracy = t.BalancedMacroAccuracy is null ? null : runs.Average(r => r.Tasks[k].BalancedMacroAccuracy!.Value),
        }).ToArray();
        return new ModelResult(runs[0].Model, tasks, runs.Average(r => r.FitSeconds), runs[^1].ModelBytes)
        {
            MeanMainSd = SampleSd(runs.Select(r => r.MeanMain).ToArray()),
        };
    }

    /// <summary>Standard deviation with n − 1 (0 for a single value), as the tables report spreads over seeds.</summary>
    public static double SampleSd(IReadOnlyList<double> values)
    {
        double mean = values.Average();
        return Math.Sqrt(values.Sum(x => (x - mean) * (x - mean)) / Math.Max(1, values.Count - 1));
    }

    /// <summary>
    /// LibMTL's Δ_MTL in %: the mean over tasks of the mean over metrics of ±(M − M_base)/M_base, + when higher is better.
    /// </summary>
    public double DeltaVersus(ModelResult baseline) => 100 * Tasks.Zip(baseline.Tasks, (mine, theirs) =>
        mine.All().Zip(theirs.All(), (m, b) => (m.HigherIsBetter ? 1 : -1) * (m.Value - b.Value) / Math.Abs(b.Value)).Average()).Average();
}
