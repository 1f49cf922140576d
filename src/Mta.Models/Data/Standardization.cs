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
        var accumulator = new StandardizationAccumulator(columns);
        accumulator.Add(values);
        return accumulator.ToStandardization();
    }

    /// <summary>Statistics of one column (a regression target), ignoring NaN.</summary>
    public static (float Mean, float Scale) FitColumn(ReadOnlySpan<float> values)
    {
        var s = Fit(values, 1);
        return (s.Mean[0], s.Scale[0]);
    }
}
