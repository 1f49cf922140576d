using static TorchSharp.torch;

namespace Mta.Models.Weighting.Gradients;

/// <summary>K×K linear algebra in double precision, by libtorch's LAPACK routines.</summary>
internal static class SmallLinearAlgebra
{
    /// <summary>x with A x = b, or null when A is singular.</summary>
    public static double[]? Solve(double[,] a, double[] b)
    {
        using var scope = NewDisposeScope();
        int n = b.Length;
        var matrix = tensor(Flatten(a), [n, n], ScalarType.Float64);
        var rhs = tensor(b, [n, 1], ScalarType.Float64);
        var (solution, info) = linalg.solve_ex(matrix, rhs);
        if (info.item<int>() != 0)
            return null;
        var x = solution.data<double>().ToArray();
        return x.All(double.IsFinite) ? x : null;
    }

    /// <summary>Eigenvalues (ascending) and eigenvectors (columns of the returned matrix) of a symmetric matrix.</summary>
    public static (double[] Values, double[,] Vectors) SymmetricEigen(double[,] a)
    {
        using var scope = NewDisposeScope();
        int n = a.GetLength(0);
        var (values, vectors) = linalg.eigh(tensor(Flatten(a), [n, n], ScalarType.Float64));
        var flat = vectors.contiguous().data<double>().ToArray();
        var v = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
                v[i, j] = flat[i * n + j];
        }
        return (values.data<double>().ToArray(), v);
    }

    private static double[] Flatten(double[,] a)
    {
        int rows = a.GetLength(0), cols = a.GetLength(1);
        var flat = new double[rows * cols];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
                flat[i * cols + j] = a[i, j];
        }
        return flat;
    }
}
