using Mta.Models.Tasks;

namespace Mta.QualityBenchmark;

/// <summary>One model's metrics on one task. Binary: AUC. Multiclass: macro-accuracy, log-loss. Regression: R², RMSE.</summary>
internal sealed record TaskScore(string Task, TaskKind Kind, double Main, double? Secondary, IReadOnlyList<double>? PerClassRecall = null)
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

    /// <summary>
    /// LibMTL's Δ_MTL in %: the mean over tasks of the mean over metrics of ±(M − M_base)/M_base, + when higher is better.
    /// </summary>
    public double DeltaVersus(ModelResult baseline) => 100 * Tasks.Zip(baseline.Tasks, (mine, theirs) =>
        mine.All().Zip(theirs.All(), (m, b) => (m.HigherIsBetter ? 1 : -1) * (m.Value - b.Value) / Math.Abs(b.Value)).Average()).Average();
}
