namespace Mta.Models.Weighting.Gradients;

/// <summary>
/// IMTL-G (Liu et al., ICLR 2021, "Towards Impartial Multi-task Learning"), the gradient part of IMTL: the
/// combination d = Σ α_k g_k with Σ α_k = 1 whose projections onto every task's unit gradient are equal,
/// d·u_1 = d·u_k, so no task's direction is favoured. Closed form: with D_k = g_1 − g_k and U_k = u_1 − u_k
/// (k ≥ 2), α_{2..K} = g_1 Uᵀ (D Uᵀ)⁻¹ and α_1 = 1 − Σ α_{2..K}.
/// </summary>
/// <remarks>
/// The paper's loss-scale part (IMTL-L, a learned scale per loss) is not included. Every product is a Gram entry.
/// When the system is singular (two gradients parallel) the equal weights are used. Scaled by K.
/// </remarks>
internal sealed class Imtl(int taskCount) : GradientWeighting(taskCount)
{
    protected override double[] Solve(double[,] gram) => Coefficients(gram).Select(a => a * gram.GetLength(0)).ToArray();

    /// <summary>α (summing to 1) before the scaling by K.</summary>
    internal static double[] Coefficients(double[,] gram)
    {
        int k = gram.GetLength(0);
        var norm = Enumerable.Range(0, k).Select(i => Math.Sqrt(gram[i, i])).ToArray();
        double GU(int i, int j) => gram[i, j] / norm[j];   // g_i · u_j
        // rhs_j = g_1 · U_j, a_ij = D_i · U_j, for i, j in 2..K.
        var a = new double[k - 1, k - 1];
        var rhs = new double[k - 1];
        for (int j = 1; j < k; j++)
        {
            rhs[j - 1] = GU(0, 0) - GU(0, j);
            for (int i = 1; i < k; i++)
                a[i - 1, j - 1] = GU(0, 0) - GU(0, j) - GU(i, 0) + GU(i, j);
        }
        // α Dᵀ... written as a row vector: α_{2..K} A = rhs, i.e. Aᵀ αᵀ = rhsᵀ.
        var transposed = new double[k - 1, k - 1];
        for (int i = 0; i < k - 1; i++)
        {
            for (int j = 0; j < k - 1; j++)
                transposed[i, j] = a[j, i];
        }
        var rest = SmallLinearAlgebra.Solve(transposed, rhs);
        if (rest is null)
            return Gram.Uniform(k, 1.0 / k);
        return [1 - rest.Sum(), .. rest];
    }
}
