namespace Mta.Models.Weighting.Gradients;

/// <summary>
/// MGDA (Sener and Koltun, NeurIPS 2018, "Multi-Task Learning as Multi-Objective Optimization"): the shared
/// parameters step along the minimum-norm point of the convex hull of the task gradients,
/// min_{w ∈ simplex} ‖Σ w_k g_k‖², a direction that decreases every task's loss (or is zero at a Pareto-stationary
/// point). Solved on the Gram matrix by Frank–Wolfe, as in the paper.
/// </summary>
/// <remarks>
/// The paper's MGDA-UB variant takes the gradients on a shared representation instead of the shared parameters;
/// here every architecture gives each task its own representation, so the gradients are those on the shared
/// parameters (LibMTL's default). The convex weights are scaled by K to the scale of the plain sum.
/// </remarks>
internal sealed class Mgda(int taskCount) : GradientWeighting(taskCount)
{
    protected override double[] Solve(double[,] gram) => MinimumNorm(gram).Select(w => w * gram.GetLength(0)).ToArray();

    /// <summary>The simplex weights of the minimum-norm combination.</summary>
    internal static double[] MinimumNorm(double[,] gram) =>
        SimplexMinimizer.Minimize(gram.GetLength(0), w => Gram.SquaredNorm(gram, w), w => Gram.Times(gram, w).Select(v => 2 * v).ToArray(),
            (w, vertex) => ExactStep(gram, w, vertex));

    /// <summary>
    /// The γ minimizing ‖(1 − γ)·a + γ·g_t‖² for a = Σ w_k g_k (the paper's two-point solver): with A = ‖a‖²,
    /// B = ‖g_t‖², C = a·g_t, γ = (A − C) / (A + B − 2C), clipped to [0, 1].
    /// </summary>
    private static double ExactStep(double[,] gram, double[] w, int vertex)
    {
        double a = Gram.SquaredNorm(gram, w), b = gram[vertex, vertex], c = Gram.Times(gram, w)[vertex];
        double denominator = a + b - 2 * c;
        return denominator <= 0 ? 0 : Math.Clamp((a - c) / denominator, 0, 1);
    }
}
