namespace Mta.Models.Data;

/// <summary>
/// Per-column mean and scale learned from the training data, ignoring NaN. A constant (or all-NaN) column gets
/// scale 1 so it maps to 0 rather than dividing by zero.
/// </summary>
public sealed record Standardization(float[] Mean, float[] Scale)
{
    /// <summary>Statistics of each column of a row-major [rows × columns] array.</summary>
    public static Standardization Fit(ReadOnlySpan<float> values, int columns)
    {
        var sum = new double[columns];
        var sumSq = new double[columns];
        var count = new long[columns];
        for (int i = 0; i < values.Length; i++)
        {
            float v = values[i];
            if (!float.IsFinite(v))
                continue;
            int c = i % columns;
            sum[c] += v;
            sumSq[c] += (double)v * v;
            count[c]++;
        }
        var mean = new float[columns];
        var scale = new float[columns];
        for (int c = 0; c < columns; c++)
        {
            double m = count[c] > 0 ? sum[c] / count[c] : 0;
            double variance = count[c] > 1 ? Math.Max(0, (sumSq[c] - count[c] * m * m) / (count[c] - 1)) : 0;
            double sd = Math.Sqrt(variance);
            mean[c] = (float)m;
            scale[c] = sd > 1e-12 ? (float)sd : 1f;
        }
        return new Standardization(mean, scale);
    }

    /// <summary>Statistics of one column (a regression target), ignoring NaN.</summary>
    public static (float Mean, float Scale) FitColumn(ReadOnlySpan<float> values)
    {
        var s = Fit(values, 1);
        return (s.Mean[0], s.Scale[0]);
    }
}
