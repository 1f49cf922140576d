namespace Mta.Models.Data;

/// <summary>Running per-column sums for <see cref="Standardization"/>, so statistics can be gathered chunk by chunk.</summary>
internal sealed class StandardizationAccumulator(int columns)
{
    private readonly double[] _sum = new double[columns];
    private readonly double[] _sumSq = new double[columns];
    private readonly long[] _count = new long[columns];

    /// <summary>Adds a row-major block of values (non-finite values are skipped).</summary>
    public void Add(ReadOnlySpan<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            float v = values[i];
            if (!float.IsFinite(v))
                continue;
            int c = i % columns;
            _sum[c] += v;
            _sumSq[c] += (double)v * v;
            _count[c]++;
        }
    }

    public Standardization ToStandardization()
    {
        var mean = new float[columns];
        var scale = new float[columns];
        for (int c = 0; c < columns; c++)
        {
            double m = _count[c] > 0 ? _sum[c] / _count[c] : 0;
            double variance = _count[c] > 1 ? Math.Max(0, (_sumSq[c] - _count[c] * m * m) / (_count[c] - 1)) : 0;
            double sd = Math.Sqrt(variance);
            mean[c] = (float)m;
            scale[c] = sd > 1e-12 ? (float)sd : 1f;
        }
        return new Standardization(mean, scale);
    }
}
