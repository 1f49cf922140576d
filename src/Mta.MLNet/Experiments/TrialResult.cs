using Mta.MLNet.Evaluation;
using Mta.Models.Options;

namespace Mta.MLNet.Experiments;

/// <summary>One trained (or failed) configuration of an experiment.</summary>
/// <param name="Number">1-based trial number.</param>
/// <param name="Network">The network options tried.</param>
/// <param name="Training">The training options tried (Epochs = the epoch budget this trial had).</param>
/// <param name="Metrics">Validation metrics per task; null when the trial failed or was cross-validated (see <see cref="FoldMetrics"/>).</param>
/// <param name="Score">The objective (higher is better); NaN when the trial failed.</param>
/// <param name="Seconds">Fit and evaluation time.</param>
/// <param name="Error">Why the trial failed, or null.</param>
public sealed record TrialResult(int Number, NetworkOptions Network, TrainingOptions Training, MultiTaskMetrics? Metrics, double Score, double Seconds, string? Error)
{
    /// <summary>Whether the trial trained and was scored.</summary>
    public bool Succeeded => Error is null;

    /// <summary>With <see cref="MultiTaskExperimentOptions.CrossValidationFolds"/>: each fold's metrics, in fold order; otherwise null.</summary>
    public IReadOnlyList<MultiTaskMetrics>? FoldMetrics { get; init; }

    /// <summary>Each task's headline metric (AUC, macro-accuracy, R²) the score is made of: on the validation rows, or the mean over the folds; null when failed.</summary>
    public IReadOnlyList<double>? Headlines => Metrics is not null ? Metrics.Tasks.Select(t => t.Headline).ToArray()
        : FoldMetrics is { Count: > 0 } folds ? folds[0].Tasks.Select((_, k) => folds.Average(f => f.Tasks[k].Headline)).ToArray()
        : null;
}

/// <summary>What an experiment found.</summary>
/// <param name="BestTrial">The trial with the highest validation score.</param>
/// <param name="Model">The best trial's fitted model (refitted on train + validation rows when asked or cross-validated); the caller disposes it.</param>
/// <param name="Trials">Every trial, in the order run.</param>
/// <param name="Cancelled">Whether the experiment stopped early (time budget or cancellation).</param>
public sealed record ExperimentResult(TrialResult BestTrial, MultiTaskTransformer Model, IReadOnlyList<TrialResult> Trials, bool Cancelled)
{
    /// <summary>
    /// <see cref="Model"/>'s metrics on the test rows, which no trial was scored on: an unbiased estimate for the
    /// chosen options (unlike <see cref="BestTrial"/>'s validation metrics, the best of many).
    /// </summary>
    public required MultiTaskMetrics TestMetrics { get; init; }

    /// <summary>
    /// The default options' (trial 1's) metrics on the same test rows, trained on the same rows as <see cref="Model"/>;
    /// null when that trial failed. Compare with <see cref="TestMetrics"/> to see what the search gained.
    /// </summary>
    public required MultiTaskMetrics? DefaultTestMetrics { get; init; }

    /// <summary>Which rows trained, scored and tested the trials, in words (fractions, seeds, counts).</summary>
    public required string Split { get; init; }

    /// <summary>Number of test rows behind <see cref="TestMetrics"/>.</summary>
    public required int TestRows { get; init; }

    /// <summary>Number of rows <see cref="Model"/> was fitted on (never a test row).</summary>
    public required int TrainingRows { get; init; }
}
