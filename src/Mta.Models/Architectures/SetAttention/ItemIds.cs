using Mta.Models.Data;
using Mta.Models.Options;

namespace Mta.Models.Architectures.SetAttention;

/// <summary>
/// The item-id convention of <see cref="SetOptions.ItemVocabularySize"/>: each item's first value is an id in
/// 1..V; 0 and NaN mean "unknown". The id is looked up, not standardized, and training data must not hold anything else
/// there (an id past the table would silently read the "unknown" row, so it is an error rather than a quiet loss).
/// </summary>
internal static class ItemIds
{
    /// <summary>The input statistics with the id value left as it is (mean 0, scale 1).</summary>
    public static Standardization KeepIdsRaw(Standardization scaling, NetworkOptions network)
    {
        if (network.SetItemVocabulary is null)
            return scaling;
        var mean = (float[])scaling.Mean.Clone();
        var scale = (float[])scaling.Scale.Clone();
        int id = network.Set.RowFeatureCount;                    // the first item value follows the row features
        (mean[id], scale[id]) = (0f, 1f);
        return new Standardization(mean, scale);
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the row and item when an id is not a whole number in 0..V.</summary>
    public static void Check(MultiTaskData data, NetworkOptions network, string what, long firstRow = 0)
    {
        if (network.SetItemVocabulary is not int vocabulary || ItemLayout.Of(network) is not { } layout)
            return;
        int items = layout.Items(data.FeatureCount), d = layout.ItemWidth, p = layout.RowFeatures;
        for (int r = 0; r < data.RowCount; r++)
        {
            for (int t = 0; t < items; t++)
            {
                float id = data.Features[(long)r * data.FeatureCount + p + t * d];
                if (float.IsNaN(id) || (id >= 0 && id <= vocabulary && id == MathF.Floor(id)))
                    continue;
                throw new ArgumentException($"Item {t + 1} of row {firstRow + r} in the {what} has id {id}, which is not a whole number in 1..{vocabulary} " +
                    $"(Set.ItemVocabularySize; 0 or NaN for an unknown item).", nameof(data));
            }
        }
    }
}
