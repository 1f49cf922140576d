namespace Mta.Models.Data;

/// <summary>
/// The fitted piecewise-linear encoding (<see cref="Options.NumericEncoding.PiecewiseLinear"/>) of standardized
/// features, as one output slot per bin: slot s reads feature <c>Source[s]</c> and gives
/// (clamp((z − Lower[s]) · InverseWidth[s], Floor[s], Ceiling[s]) − Mean[s]) · InverseScale[s].
/// </summary>
/// <remarks>
/// A feature with edges b_0 &lt; … &lt; b_T has T slots: 1 for bins wholly below z, z's position within its own bin, 0
/// above. The first slot has no floor and the last no ceiling, so values beyond the training range keep a slope
/// instead of saturating. A feature with fewer than two distinct values (a constant) is one slot passing z through;
/// a binary column has one bin and is the same line as its standardized value. Each slot is then standardized over
/// the training rows (Mean, InverseScale): a bin that most rows fill (or leave empty) varies little, and unscaled it
/// would start with a small share of the first layer's input, so it would be learned late (measured in
/// docs/notes/quality.md).
/// </remarks>
public sealed record PiecewiseLinearBins(int[] Source, float[] Lower, float[] InverseWidth, float[] Floor, float[] Ceiling,
    float[] Mean, float[] InverseScale)
{
    /// <summary>Rows read to place the edges; more only moves them by sampling noise.</summary>
    public const int SampleRows = 100_000;

    /// <summary>Output values per row.</summary>
    public int Width => Source.Length;

    /// <summary>
    /// Quantile edges of each column of raw row-major values (NaN ignored), expressed in standardized units of
    /// <paramref name="scaling"/>. Up to <see cref="SampleRows"/> evenly spaced rows are read.
    /// </summary>
    public static PiecewiseLinearBins Fit(ReadOnlySpan<float> values, int columns, Standardization scaling, int bins)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 2);
        var source = new List<int>();
        var lower = new List<float>();
        var inverseWidth = new List<float>();
        var floor = new List<float>();
        var ceiling = new List<float>();
        var mean = new List<float>();
        var inverseScale = new List<float>();
        var column = new List<float>(Math.Min(values.Length / columns, SampleRows));
        for (int c = 0; c < columns; c++)
        {
            SortedSample(values, columns, c, column);
            for (int i = 0; i < column.Count; i++)
                column[i] = (column[i] - scaling.Mean[c]) / scaling.Scale[c];   // monotone: the order stays
            var edges = Edges(column, bins);
            if (edges.Count < 2)
            {
                Add(c, 0f, 1f, first: true, last: true);
                continue;
            }
            for (int t = 1; t < edges.Count; t++)
                Add(c, edges[t - 1], 1 / (edges[t] - edges[t - 1]), first: t == 1, last: t == edges.Count - 1);
        }
        return new PiecewiseLinearBins([.. source], [.. lower], [.. inverseWidth], [.. floor], [.. ceiling], [.. mean], [.. inverseScale]);

        void Add(int c, float edge, float slope, bool first, bool last)
        {
            float lo = first ? float.NegativeInfinity : 0f, hi = last ? float.PositiveInfinity : 1f;
            source.Add(c);
            lower.Add(edge);
            inverseWidth.Add(slope);
            floor.Add(lo);
            ceiling.Add(hi);
            // The slot's mean and standard deviation over the sampled column (population, in double).
            double sum = 0, sumSq = 0;
            foreach (float z in column)
            {
                double e = Math.Clamp((z - edge) * (double)slope, lo, hi);
                sum += e;
                sumSq += e * e;
            }
            double m = column.Count == 0 ? 0 : sum / column.Count;
            double sd = column.Count == 0 ? 0 : Math.Sqrt(Math.Max(0, sumSq / column.Count - m * m));
            mean.Add((float)m);
            inverseScale.Add(sd > 1e-6 ? (float)(1 / sd) : 1f);
        }
    }

    /// <summary>
    /// The finite values of column <paramref name="column"/> of raw row-major <paramref name="values"/> in up to
    /// <see cref="SampleRows"/> evenly spaced rows, sorted, into <paramref name="into"/> (cleared first).
    /// </summary>
    internal static void SortedSample(ReadOnlySpan<float> values, int columns, int column, List<float> into)
    {
        int rows = values.Length / columns;
        int step = Math.Max(1, (rows + SampleRows - 1) / SampleRows);
        into.Clear();
        for (int r = 0; r < rows; r += step)
        {
            float v = values[r * columns + column];
            if (float.IsFinite(v))
                into.Add(v);
        }
        into.Sort();
    }

    /// <summary>Edges closer than this (in standard deviations) merge, so no bin is so narrow that its slope overflows.</summary>
    private const float MinimumBinWidth = 1e-6f;

    /// <summary>The distinct values at quantiles 0, 1/bins, …, 1 of sorted finite values.</summary>
    private static List<float> Edges(List<float> sorted, int bins)
    {
        var edges = new List<float>(bins + 1);
        if (sorted.Count == 0)
            return edges;
        for (int q = 0; q <= bins; q++)
        {
            float e = sorted[(int)Math.Round((double)q / bins * (sorted.Count - 1))];
            if (edges.Count == 0 || e - edges[^1] >= MinimumBinWidth)
                edges.Add(e);
        }
        return edges;
    }
}
