namespace Mta.Models.Weighting;

/// <summary>How the per-task losses are combined into the one loss that is minimized.</summary>
public enum LossWeightingKind
{
    /// <summary>Σ_k weight_k · L_k with each task's <see cref="Tasks.TaskSpec.LossWeight"/>.</summary>
    Fixed,
}
