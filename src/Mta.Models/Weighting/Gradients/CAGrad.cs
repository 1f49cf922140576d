namespace Mta.Models.Weighting.Gradients;

/// <summary>
/// CAGrad (Liu et al., NeurIPS 2021, "Conflict-Averse Gradient Descent for Multi-task Learning"): the direction d
/// within a ball around the average gradient g₀, ‖d − g₀‖ ≤ c‖g₀‖, that maximizes the worst task's decrease
/// min_k g_kᵀd. Through its dual: w = argmin_{w ∈ simplex} g_wᵀg₀ + c‖g₀‖·‖g_w‖ with g_w = Σ w_k g_k, then
/// d = g₀ + (c‖g₀‖ / ‖g_w‖) g_w, divided by 1 + c² (the paper's rescaling). c = 0.5 (the paper's default).
/// </summary>
/// <remarks>Scaled by K, so with aligned gradients the step is on the scale of the plain sum.</remarks>
internal sealed class CAGrad(int taskCount, double c = 0.5) : GradientWeighting(taskCount)
{
    protected override double[] Solve(double[,] gram) => Direction(gram, c).Select(w => w * gram.GetLength(0)).ToArray();

    /// <summary>The coefficients of d (before the scaling by K): d = Σ_k result_k g_k.</summary>
    internal static double[] Direction(double[,] gram, double c)
    {
        int k = gram.GetLength(0);
        var mean = Gram.Uniform(k, 1.0 / k);
        double radius = c * Math.Sqrt(Gram.SquaredNorm(gram, mean));
        var gMean = Gram.Times(gram, mean);   // M b: the gradient of g_wᵀ g₀
        const double Smooth = 1e-12;           // keeps ‖g_w‖ differentiable where it would be 0
        double Objective(double[] w)
        {
            double linear = 0;
            for (int i = 0; i < k; i++)
                linear += w[i] * gMean[i];
            return linear + radius * Math.Sqrt(Gram.SquaredNorm(gram, w) + Smooth);
        }
        double[] Gradient(double[] w)
        {
            var mw = Gram.Times(gram, w);
            double norm = Math.Sqrt(Gram.SquaredNorm(gram, w) + Smooth);
            return gMean.Select((g, i) => g + radius * mw[i] / norm).ToArray();
        }
        var best = SimplexMinimizer.Minimize(k, Objective, Gradient);
        double gwNorm = Math.Sqrt(Gram.SquaredNorm(gram, best));
        double lambda = gwNorm > 0 ? radius / gwNorm : 0;
        return mean.Select((m, i) => (m + lambda * best[i]) / (1 + c * c)).ToArray();
    }
}
