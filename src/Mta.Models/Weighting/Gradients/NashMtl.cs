namespace Mta.Models.Weighting.Gradients;

/// <summary>
/// Nash-MTL (Navon et al., ICML 2022, "Multi-Task Learning as a Bargaining Game"): the combination d = Σ α_k g_k
/// that is the Nash bargaining solution among the tasks, characterized by (M α)_k = 1 / α_k with α > 0, i.e. every
/// task's gain g_kᵀd equals 1/α_k. M is normalized by its Frobenius norm, as in the paper.
/// </summary>
/// <remarks>
/// The condition is the stationarity condition of the strictly convex f(α) = ½ αᵀMα − Σ_k log α_k, so it is solved
/// by Newton's method with a backtracking line search that keeps α positive, warm-started from the previous step's
/// α (the paper solves a sequence of convex programs with an external solver instead). When the gradients are
/// positively dependent (a Pareto-stationary point) no solution exists; a small ridge on M keeps f bounded.
/// </remarks>
internal sealed class NashMtl(int taskCount) : GradientWeighting(taskCount)
{
    private double[] _previous = Gram.Uniform(taskCount, 1.0);

    protected override double[] Solve(double[,] gram)
    {
        int k = gram.GetLength(0);
        // The warm start is per task; a step with fewer tasks present starts from their previous values.
        var start = k == TaskCount ? _previous : Gram.Uniform(k, 1.0);
        var alpha = Bargain(gram, start);
        if (k == TaskCount)
            _previous = alpha;
        return alpha;
    }

    internal static double[] Bargain(double[,] gram, IReadOnlyList<double> start)
    {
        int k = gram.GetLength(0);
        double frobenius = 0;
        foreach (double v in gram)
            frobenius += v * v;
        frobenius = Math.Sqrt(frobenius);
        var m = new double[k, k];
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < k; j++)
                m[i, j] = gram[i, j] / frobenius + (i == j ? 1e-6 : 0);
        }
        double F(double[] a) => 0.5 * Gram.Inner(m, a, a) - a.Sum(Math.Log);

        var alpha = start.Select(a => a > 0 && double.IsFinite(a) ? a : 1.0).ToArray();
        for (int iteration = 0; iteration < 50; iteration++)
        {
            var ma = Gram.Times(m, alpha);
            var gradient = ma.Select((v, i) => v - 1 / alpha[i]).ToArray();
            if (gradient.Max(Math.Abs) < 1e-10)
                break;
            var hessian = (double[,])m.Clone();
            for (int i = 0; i < k; i++)
                hessian[i, i] += 1 / (alpha[i] * alpha[i]);
            var step = SmallLinearAlgebra.Solve(hessian, gradient.Select(g => -g).ToArray());
            if (step is null)
                break;
            double f = F(alpha), t = 1;
            double slope = step.Select((s, i) => s * gradient[i]).Sum();
            double[] next;
            while (true)
            {
                next = alpha.Select((a, i) => a + t * step[i]).ToArray();
                if (next.All(a => a > 0) && F(next) <= f + 1e-4 * t * slope)
                    break;
                t /= 2;
                if (t < 1e-12)
                {
                    next = alpha;
                    break;
                }
            }
            if (ReferenceEquals(next, alpha))
                break;
            alpha = next;
        }
        return alpha;
    }

    protected override void SaveState(BinaryWriter writer) => StateIo.Write(writer, _previous);

    protected override void LoadState(BinaryReader reader) => _previous = StateIo.Read(reader, TaskCount);
}
