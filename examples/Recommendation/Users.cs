using Microsoft.ML.Data;
using Mta.SampleData;

namespace Recommendation;

/// <summary>A user as ML.NET reads it: <see cref="Items"/> is a variable-length vector (no VectorType attribute).</summary>
internal sealed class User
{
    public float[] Items { get; set; } = [];
    public bool Click { get; set; }
    public float Rating { get; set; }

    /// <summary>
    /// What a user of ML.NET without set support feeds a trainer: the items averaged into one fixed-size vector
    /// (the mean of each item value, NaN for a user without items) plus the number of items.
    /// </summary>
    [VectorType(SyntheticRecommendations.ItemWidth + 1)]
    public float[] MeanPooled { get; set; } = [];

    public static User From(RecommendationRow row)
    {
        const int d = SyntheticRecommendations.ItemWidth;
        int n = row.Items.Length / d;
        var pooled = new float[d + 1];
        for (int j = 0; j < d; j++)
        {
            double sum = 0;
            for (int t = 0; t < n; t++)
                sum += row.Items[t * d + j];
            pooled[j] = n == 0 ? float.NaN : (float)(sum / n);
        }
        pooled[d] = n;
        return new User { Items = row.Items, Click = row.Click, Rating = row.Rating, MeanPooled = pooled };
    }
}
