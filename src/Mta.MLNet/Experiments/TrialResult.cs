using Mta.MLNet.Evaluation;
using Mta.Models.Options;

namespace Mta.MLNet.Experiments;

/// <summary>One trained (or failed) configuration of an experiment.</summary>
/// <param name="Number">1-based trial number.</param>
/// <param name="Network">The network options tried.</param>
/// <param name="Training">The training options tried (Epochs = the epoch budget this trial had).</param>
/// <param name="Metrics">Validation metrics per task; null when the trial failed.</param>
/// <param name="Score">The objective (higher is better); NaN when the trial failed.</param>
/// <param name="Seconds">Fit and evaluation time.</param>
/// <param name="Error">Why the trial failed, or null.</param>
public sealed record TrialResult(int Number, NetworkOptions Network, TrainingOptions Training, MultiTaskMetrics? Metrics, double Score, double Seconds, string? Error)
{
    /// <summary>Whether the trial trained and was scored.</summary>
    public bool Succeeded => Error is null;
}

/// <summary>What an experiment found.</summary>
/// <param name="BestTrial">The trial with the highest score.</param>
/// <param name="Model">The best trial's fitted model (refitted on all rows when asked); the caller disposes it.</param>
/// <param name="Trials">Every trial, in the order run.</param>
/// <param name="Cancelled">Whether the experiment stopped early (time budget or cancellation).</param>
public sealed record ExperimentResult(TrialResult BestTrial, MultiTaskTransformer Model, IReadOnlyList<TrialResult> Trials, bool Cancelled);
