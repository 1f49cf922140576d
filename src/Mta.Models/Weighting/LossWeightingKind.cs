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

    /// <summary>
    /// Random loss weighting (Lin et al. 2022): fresh weights K·softmax(ε), ε ~ N(0, I), every batch. Reported: the
    /// epoch's mean weights.
    /// </summary>
    RandomLossWeighting,

    /// <summary>
    /// FAMO (Liu et al. 2023): learned weights that make every task's log-loss fall at the same rate; one extra forward
    /// pass per batch (no extra backward). Reported: the epoch's mean effective weights.
    /// </summary>
    FAMO,

    /// <summary>
    /// PCGrad (Yu et al. 2020), a gradient method: each task's gradient on the shared parameters is projected off the
    /// gradients it conflicts with. Gradient methods back-propagate each task separately: a step costs about K
    /// backward passes. Reported: the epoch's mean coefficients and how often gradients conflicted.
    /// </summary>
    PCGrad,

    /// <summary>CAGrad (Liu et al. 2021), a gradient method: the step near the average gradient that most improves the worst task (c = 0.5).</summary>
    CAGrad,

    /// <summary>MGDA (Sener and Koltun 2018), a gradient method: the minimum-norm convex combination of the task gradients.</summary>
    MGDA,

    /// <summary>IMTL-G (Liu et al. 2021), a gradient method: the combination with equal projections onto every task's gradient direction.</summary>
    IMTL,

    /// <summary>Aligned-MTL (Senushkin et al. 2023), a gradient method: the task gradients made orthogonal and of equal norm, then summed.</summary>
    AlignedMTL,

    /// <summary>Nash-MTL (Navon et al. 2022), a gradient method: the Nash bargaining solution among the tasks' gradients.</summary>
    NashMTL,
}
