namespace Mta.Models.Weighting.Gradients;

/// <summary>
/// PCGrad (Yu et al., NeurIPS 2020, "Gradient Surgery for Multi-Task Learning"): for each task i, its gradient is
/// projected off every other task's gradient g_j it conflicts with (g_i·g_j &lt; 0), in a random order of j drawn per
/// step: g_i ← g_i − (g_i·g_j / ‖g_j‖²) g_j. The shared parameters step along the sum of the projected gradients.
/// </summary>
/// <remarks>
/// A projected gradient stays a combination of the original ones, so the method runs on coefficient vectors
/// (g_i' = Σ_l C_il g_l) and the Gram matrix; the returned weights are the column sums of C.
/// </remarks>
internal sealed class PCGrad(int taskCount, int seed) : GradientWeighting(taskCount)
{
    private readonly WeightingRandom _random = new((ulong)seed);

    protected override double[] Solve(double[,] gram) => Project(gram, _random);

    internal static double[] Project(double[,] gram, WeightingRandom random)
    {
        int k = gram.GetLength(0);
        var weights = new double[k];
        var others = new int[k - 1];
        for (int i = 0; i < k; i++)
        {
            var c = new double[k];
            c[i] = 1;
            for (int j = 0, n = 0; j < k; j++)
            {
                if (j != i)
                    others[n++] = j;
            }
            random.Shuffle(others);
            foreach (int j in others)
            {
                double dot = 0;   // g_i' · g_j
                for (int l = 0; l < k; l++)
                    dot += c[l] * gram[l, j];
                if (dot < 0)
                    c[j] -= dot / gram[j, j];
            }
            for (int l = 0; l < k; l++)
                weights[l] += c[l];
        }
        return weights;
    }

    protected override void SaveState(BinaryWriter writer) => writer.Write(_random.State);

    protected override void LoadState(BinaryReader reader) => _random.State = reader.ReadUInt64();
}
