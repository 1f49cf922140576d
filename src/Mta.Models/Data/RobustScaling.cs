namespace Mta.Models.Data;

/// <summary>
/// The centre and scale of <see cref="Options.NumericEncoding.RobustScaled"/>, as a <see cref="Standardization"/>:
/// per column the median, and the distance between the quartiles (half the range where they meet, 1 for a constant).
/// Quantiles of outliers do not move, so one extreme value does not shrink every other value to near zero.
/// </summary>
internal static class RobustScaling
{
    /// <summary>
    /// From the finite values of each column of raw row-major <paramref name="values"/>, up to
    /// <see cref="PiecewiseLinearBins.SampleRows"/> evenly spaced rows read (as the bins' quantiles are).
    /// </summary>
    public static Standardization Fit(ReadOnlySpan<float> values, int columns)
    {
        var centre = new float[columns];
        var scale = new float[columns];
        var column = new List<float>(Math.Min(values.Length / columns, PiecewiseLinearBins.SampleRows));
        for (int c = 0; c < columns; c++)
        {
            PiecewiseLinearBins.SortedSample(values, columns, c, column);
            if (column.Count == 0)
            {
                (centre[c], scale[c]) = (0f, 1f);
                continue;
            }
            centre[c] = Quantile(column, 0.5);
            float spread = Quantile(column, 0.75) - Quantile(column, 0.25);
            if (!(spread > 0))
                spread = (column[^1] - column[0]) / 2;
            scale[c] = spread > 0 ? spread : 1f;
        }
        return new Standardization(centre, scale);
    }

    /// <summary>The q-quantile of sorted values, linear between the two nearest ranks.</summary>
    private static float Quantile(List<float> sorted, double q)
    {
        double position = q * (sorted.Count - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Count - 1);
        return (float)(sorted[below] + (position - below) * (sorted[above] - sorted[below]));
    }
}
