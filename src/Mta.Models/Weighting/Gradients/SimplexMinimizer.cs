namespace Mta.Models.Weighting.Gradients;

/// <summary>
/// Minimizes a convex function of the weights w over the simplex (w ≥ 0, Σ w = 1) by Frank–Wolfe: step from w
/// towards the vertex with the smallest partial derivative, as far as a golden-section line search says. The
/// problems are K-dimensional (K tasks), so a few hundred iterations cost microseconds; for two tasks the first
/// step already lands on the minimum, because the segment it searches contains it.
/// </summary>
/// <remarks>
/// A caller that knows the exact minimizer along a segment passes it as <c>lineSearch</c> (w, vertex) → step: a
/// golden-section search finds a quadratic's minimum only to about √ε, because f is flat there.
/// </remarks>
internal static class SimplexMinimizer
{
    public static double[] Minimize(int k, Func<double[], double> f, Func<double[], double[]> gradient,
        Func<double[], int, double>? lineSearch = null, int iterations = 200, double tolerance = 1e-12)
    {
        var w = Gram.Uniform(k, 1.0 / k);
        var candidate = new double[k];
        for (int iteration = 0; iteration < iterations; iteration++)
        {
            var g = gradient(w);
            int vertex = 0;
            for (int i = 1; i < k; i++)
            {
                if (g[i] < g[vertex])
                    vertex = i;
            }
            // The Frank–Wolfe gap bounds how far f(w) is above the minimum.
            double gap = 0;
            for (int i = 0; i < k; i++)
                gap += g[i] * w[i];
            gap -= g[vertex];
            if (gap <= tolerance)
                break;

            double Along(double step)
            {
                for (int i = 0; i < k; i++)
                    candidate[i] = (1 - step) * w[i] + (i == vertex ? step : 0);
                return f(candidate);
            }
            double before = f(w);
            double best = lineSearch?.Invoke(w, vertex) ?? GoldenSection(Along, 0, 1);
            for (int i = 0; i < k; i++)
                w[i] = (1 - best) * w[i] + (i == vertex ? best : 0);
            // A line search that no longer lowers f has reached what double precision can resolve.
            if (before - f(w) <= 1e-15 * Math.Max(1, Math.Abs(before)))
                break;
        }
        return w;
    }

    /// <summary>The minimizer of a unimodal function on [a, b].</summary>
    private static double GoldenSection(Func<double, double> f, double a, double b)
    {
        double ratio = (Math.Sqrt(5) - 1) / 2;
        double c = b - ratio * (b - a), d = a + ratio * (b - a);
        double fc = f(c), fd = f(d);
        for (int i = 0; i < 80 && b - a > 1e-15; i++)
        {
            if (fc < fd)
            {
                b = d; d = c; fd = fc;
                c = b - ratio * (b - a); fc = f(c);
            }
            else
            {
                a = c; c = d; fc = fd;
                d = a + ratio * (b - a); fd = f(d);
            }
        }
        double x = (a + b) / 2;
        // The ends are candidates too: a minimum at a vertex or at the current point must be reachable exactly.
        double fx = f(x), f0 = f(0), f1 = f(1);
        return f1 <= fx && f1 <= f0 ? 1 : f0 <= fx ? 0 : x;
    }
}
