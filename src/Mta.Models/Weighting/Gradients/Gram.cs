namespace Mta.Models.Weighting.Gradients;

/// <summary>Products with a Gram matrix M = G Gᵀ, which is all the gradient methods need of the gradients.</summary>
internal static class Gram
{
    /// <summary>M·v.</summary>
    public static double[] Times(double[,] m, IReadOnlyList<double> v)
    {
        int k = v.Count;
        var result = new double[k];
        for (int i = 0; i < k; i++)
        {
            double s = 0;
            for (int j = 0; j < k; j++)
                s += m[i, j] * v[j];
            result[i] = s;
        }
        return result;
    }

    /// <summary>aᵀ M b: the inner product of the combinations Σ a_k g_k and Σ b_k g_k.</summary>
    public static double Inner(double[,] m, IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        var mb = Times(m, b);
        double s = 0;
        for (int i = 0; i < a.Count; i++)
            s += a[i] * mb[i];
        return s;
    }

    /// <summary>‖Σ w_k g_k‖².</summary>
    public static double SquaredNorm(double[,] m, IReadOnlyList<double> w) => Math.Max(0, Inner(m, w, w));

    public static double[] Uniform(int k, double value) => Enumerable.Repeat(value, k).ToArray();
}
