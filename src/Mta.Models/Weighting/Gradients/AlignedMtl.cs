namespace Mta.Models.Weighting.Gradients;

/// <summary>
/// Aligned-MTL (Senushkin et al., CVPR 2023, "Independent Component Alignment for Multi-Task Learning"): the task
/// gradients are replaced by the closest set of orthogonal gradients of equal norm, which makes the system of
/// gradients perfectly conditioned: with M = V Λ Vᵀ (the non-zero eigenpairs), B = √λ_min · V Λ^{-1/2} Vᵀ and the
/// aligned gradients Ĝ = B G; the shared parameters step along their sum, whose coefficients are B's column sums.
/// </summary>
/// <remarks>λ_min: the smallest eigenvalue above the rank tolerance (the paper's "min" scale).</remarks>
internal sealed class AlignedMtl(int taskCount) : GradientWeighting(taskCount)
{
    protected override double[] Solve(double[,] gram)
    {
        var b = Alignment(gram);
        int k = gram.GetLength(0);
        var weights = new double[k];
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < k; j++)
                weights[j] += b[i, j];
        }
        return weights;
    }

    /// <summary>B: row i of B G is task i's aligned gradient.</summary>
    internal static double[,] Alignment(double[,] gram)
    {
        int k = gram.GetLength(0);
        var (values, vectors) = SmallLinearAlgebra.SymmetricEigen(gram);
        double tolerance = values.Max() * k * 1.2e-7;   // float32's epsilon: the gradients are float32
        var kept = Enumerable.Range(0, k).Where(i => values[i] > tolerance).ToArray();
        var b = new double[k, k];
        if (kept.Length == 0)
            return b;
        double scale = Math.Sqrt(kept.Min(i => values[i]));
        for (int r = 0; r < k; r++)
        {
            for (int c = 0; c < k; c++)
            {
                double s = 0;
                foreach (int e in kept)
                    s += vectors[r, e] * vectors[c, e] / Math.Sqrt(values[e]);
                b[r, c] = scale * s;
            }
        }
        return b;
    }
}
