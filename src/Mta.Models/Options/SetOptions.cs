namespace Mta.Models.Options;

/// <summary>Options of <see cref="Architecture.SetAttention"/> alone (<see cref="NetworkOptions.Set"/>).</summary>
public sealed record SetOptions
{
    /// <summary>
    /// Values per item d. A row's feature vector is its items one after the other, so its length must be a multiple of
    /// d; an item whose d values are all NaN is padding (absent). Required for <see cref="Architecture.SetAttention"/>.
    /// </summary>
    public int? ItemWidth { get; init; }

    /// <summary>
    /// How many values at the start of each row are per-row features (a user's age, income...) rather than items. They
    /// are standardized per column and read by every task beside its pooled items; the items follow them. In ML.NET,
    /// Concatenate the per-row columns and the variable-length item column, in that order. Default 0.
    /// </summary>
    public int RowFeatureCount { get; init; }

    /// <summary>
    /// When set, the first value of each item is an item id, a whole number 1..<see cref="ItemVocabularySize"/> (what
    /// ConvertType to Single makes of an ML.NET key), looked up in a learned table of <see cref="ItemEmbeddingWidth"/>
    /// values; 0 or a missing id (NaN) at scoring time, or an id the table does not have, reads the table's "unknown"
    /// row. The item's other values (if any) are numbers as usual. Null (default): every value is a number.
    /// </summary>
    public int? ItemVocabularySize { get; init; }

    /// <summary>Width of an item id's learned embedding (with <see cref="ItemVocabularySize"/>). Default 16.</summary>
    public int ItemEmbeddingWidth { get; init; } = 16;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the option (Set.…) when a value is unusable.</summary>
    internal void Validate(Architecture architecture)
    {
        if (architecture == Architecture.SetAttention && ItemWidth is not >= 1)
            throw OptionError.OutOfRange("Set.ItemWidth", ItemWidth, "Architecture.SetAttention needs Set.ItemWidth (values per item) ≥ 1.");
        if (RowFeatureCount < 0)
            throw OptionError.OutOfRange("Set.RowFeatureCount", RowFeatureCount, "Set.RowFeatureCount must be 0 or more.");
        if (ItemVocabularySize is < 1)
            throw OptionError.OutOfRange("Set.ItemVocabularySize", ItemVocabularySize, "Set.ItemVocabularySize (the number of item ids) must be at least 1.");
        if (ItemEmbeddingWidth < 1)
            throw OptionError.OutOfRange("Set.ItemEmbeddingWidth", ItemEmbeddingWidth, "Set.ItemEmbeddingWidth must be at least 1.");
    }
}
