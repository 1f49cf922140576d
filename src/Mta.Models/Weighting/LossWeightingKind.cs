namespace Mta.Models.Weighting;

/// <summary>How the per-task losses are combined into the one loss that is minimized.</summary>
/// <remarks>Only <see cref="Fixed"/> uses the tasks' own loss weights; the adaptive schemes set the weights themselves.</remarks>
public enum LossWeightingKind
{
    /// <summary>Σ_k weight_k · L_k with each task's <see cref="Tasks.TaskSpec.LossWeight"/>.</summary>
    Fixed,

    /// <summary>
    /// Uncertainty weighting (Kendall et al. 2018): L = Σ_k L_k / (2·exp(s_k)) + s_k / 2 with s_k learned;
    /// a task whose loss stays large gets a smaller weight.
    /// </summary>
    Uncertainty,

    /// <summary>
    /// Dynamic Weight Average (Liu et al. 2019): λ_k = K·softmax(r_k / 2) with r_k the ratio of task k's last two
    /// epoch losses; a task whose loss stopped falling gets more weight. λ = 1 in the first two epochs.
    /// </summary>
    DynamicWeightAverage,

    /// <summary>
    /// GradNorm (Chen et al. 2018, α = 1.5): weights learned so that the tasks' gradient norms on the last shared
    /// layer match their relative training rates; renormalized to sum to the number of tasks.
    /// </summary>
    GradNorm,
}
