using Mta.Models.Data;
using Mta.Models.Tasks;

namespace Mta.SampleData;

/// <summary>
/// The synthetic two-task regression data of Ma et al. (MMoE, KDD 2018, sec. 3.2), whose task correlation is
/// controlled by <c>p</c>: orthonormal u1, u2 ∈ R^d; w1 = c·u1, w2 = c·(p·u1 + √(1−p²)·u2); x ~ N(0, I);
/// y_k = w_kᵀx + Σ_{i=1..m} sin(α_i·w_kᵀx + β_i) + ε, with α_i, β_i ~ N(0, 1) drawn once per seed and
/// ε ~ N(0, noise²).
/// </summary>
public sealed class MmoeSyntheticTasks
{
    private readonly double[] _w1;
    private readonly double[] _w2;
    private readonly double[] _alpha;
    private readonly double[] _beta;
    private readonly double _noise;
    private readonly Random _rng;

    /// <summary>Draws the task weights and the sine terms for one seed.</summary>
    /// <param name="correlation">p in [−1, 1]: the cosine between the tasks' weight vectors.</param>
    /// <param name="seed">Seed of everything drawn here and of the rows generated later.</param>
    /// <param name="dimension">d (the paper: 100).</param>
    /// <param name="scale">c (the paper: 1).</param>
    /// <param name="sineTerms">m (the paper: 10).</param>
    /// <param name="noise">Standard deviation of ε (the paper: 0.1).</param>
    public MmoeSyntheticTasks(double correlation, int seed, int dimension = 100, double scale = 1, int sineTerms = 10, double noise = 0.1)
    {
        if (correlation is < -1 or > 1)
            throw new ArgumentOutOfRangeException(nameof(correlation), correlation, "The task correlation p must be in [-1, 1].");
        if (dimension < 2)
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "Two orthonormal vectors need dimension ≥ 2.");
        _rng = new Random(seed);
        _noise = noise;
        Dimension = dimension;
        Correlation = correlation;

        // Gram-Schmidt on two Gaussian vectors gives a random orthonormal pair.
        var u1 = Normalize(Gaussians(dimension));
        var u2 = Gaussians(dimension);
        double projection = Dot(u1, u2);
        for (int j = 0; j < dimension; j++)
            u2[j] -= projection * u1[j];
        u2 = Normalize(u2);

        double orthogonal = Math.Sqrt(Math.Max(0, 1 - correlation * correlation));
        _w1 = u1.Select(v => scale * v).ToArray();
        _w2 = u1.Zip(u2, (a, b) => scale * (correlation * a + orthogonal * b)).ToArray();
        _alpha = Gaussians(sineTerms);
        _beta = Gaussians(sineTerms);
    }

    /// <summary>d.</summary>
    public int Dimension { get; }

    /// <summary>p.</summary>
    public double Correlation { get; }

    /// <summary>The two regression tasks, "y1" and "y2".</summary>
    public static IReadOnlyList<TaskSpec> Tasks { get; } = [new("y1", TaskKind.Regression), new("y2", TaskKind.Regression)];

    /// <summary>Draws <paramref name="rows"/> new rows (successive calls continue the same random stream).</summary>
    public MultiTaskData Generate(int rows)
    {
        var x = new float[rows * Dimension];
        var y1 = new float[rows];
        var y2 = new float[rows];
        var row = new double[Dimension];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < Dimension; j++)
            {
                row[j] = Gaussian();
                x[i * Dimension + j] = (float)row[j];
            }
            y1[i] = (float)Target(Dot(_w1, row));
            y2[i] = (float)Target(Dot(_w2, row));
        }
        return new MultiTaskData(x, Dimension, [y1, y2]);
    }

    private double Target(double projection)
    {
        double y = projection;
        for (int i = 0; i < _alpha.Length; i++)
            y += Math.Sin(_alpha[i] * projection + _beta[i]);
        return y + _noise * Gaussian();
    }

    private double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - _rng.NextDouble())) * Math.Cos(2 * Math.PI * _rng.NextDouble());

    private double[] Gaussians(int n) => Enumerable.Range(0, n).Select(_ => Gaussian()).ToArray();

    private static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++)
            s += a[i] * b[i];
        return s;
    }

    private static double[] Normalize(double[] v)
    {
        double norm = Math.Sqrt(Dot(v, v));
        return v.Select(x => x / norm).ToArray();
    }
}
