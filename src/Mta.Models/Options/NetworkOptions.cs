namespace Mta.Models.Options;

/// <summary>Shape of the multi-task network.</summary>
public sealed record NetworkOptions
{
    /// <summary>How tasks draw on the shared experts. Default: <see cref="Architecture.ExpertAttention"/>.</summary>
    public Architecture Architecture { get; init; } = Architecture.ExpertAttention;

    /// <summary>Attention weighting for <see cref="Architecture.ExpertAttention"/>. Default: softmax.</summary>
    public AttentionFunction AttentionFunction { get; init; } = AttentionFunction.Softmax;

    /// <summary>Number of shared experts E (not used by shared-bottom and local attention, which have one trunk). Default 4.</summary>
    public int ExpertCount { get; init; } = 4;

    /// <summary>Task-specific experts per task for <see cref="Architecture.Cgc"/> and <see cref="Architecture.Ple"/>. Default 1.</summary>
    public int TaskExpertCount { get; init; } = 1;

    /// <summary>Stacked extraction levels for <see cref="Architecture.Ple"/> (CGC is one level), ≥ 2. Default 2.</summary>
    public int ExtractionLevels { get; init; } = 2;

    /// <summary>
    /// Single-expert selectors per task for <see cref="Architecture.DSelectK"/>, the k of DSelect-k: a task mixes at
    /// most this many experts once its selectors have settled. 1 ≤ k ≤ <see cref="ExpertCount"/> there. Default 2.
    /// </summary>
    public int SelectedExperts { get; init; } = 2;

    /// <summary>
    /// Width γ of the smooth-step of <see cref="Architecture.DSelectK"/>'s selectors, &gt; 0: a code value z gives
    /// S(z) = 0 below −γ/2, 1 above γ/2 and a cubic between, so a smaller γ makes selectors commit to one expert sooner.
    /// Default 1.
    /// </summary>
    public double SmoothStepGamma { get; init; } = 1.0;

    /// <summary>Hidden widths of each expert MLP; the last is the expert output width. Default [64, 32].</summary>
    public IReadOnlyList<int> ExpertHiddenSizes { get; init; } = [64, 32];

    /// <summary>Hidden widths of each task tower (empty: the head reads the task representation). Default [16].</summary>
    public IReadOnlyList<int> TowerHiddenSizes { get; init; } = [16];

    /// <summary>Hidden-layer activation. Default ReLU.</summary>
    public Activation Activation { get; init; } = Activation.Relu;

    /// <summary>
    /// Dropout after each hidden layer during training, in [0, 1). Default null: sized to the rows trained on
    /// (<see cref="DropoutFor"/>), 0.2 up to 10,000 rows and 0.2 × 10,000 / rows above, e.g. 0.05 at 40,000 rows.
    /// Small tables gain from 0.2; on a larger one the same noise blurs what the data can support
    /// (measured in docs/notes/quality.md). The trained model's options hold the value used.
    /// </summary>
    public float? Dropout { get; init; }

    /// <summary>The default dropout for small data, and the row count up to which it holds.</summary>
    private const float SmallDataDropout = 0.2f;
    private const long SmallDataRows = 10_000;

    /// <summary>
    /// The dropout training uses on <paramref name="trainingRows"/> rows: <see cref="Dropout"/> when set, otherwise
    /// 0.2 up to 10,000 rows and 0.2 × 10,000 / <paramref name="trainingRows"/> above, so that the noise per row
    /// shrinks as the data grows.
    /// </summary>
    public float DropoutFor(long trainingRows) =>
        Dropout ?? (trainingRows <= SmallDataRows ? SmallDataDropout : (float)(SmallDataDropout * SmallDataRows / (double)trainingRows));

    /// <summary>
    /// The rate the modules are built with. The trainer sets <see cref="Dropout"/> from the row count before it builds
    /// a network; one built outside the trainer (with no rows to size to) gets the small-data rate.
    /// </summary>
    internal float DropoutRate => Dropout ?? SmallDataDropout;

    /// <summary>
    /// How features reach the first layer. Default <see cref="NumericEncoding.Auto"/>: piecewise-linear bins for table
    /// rows, which let the first layer fit thresholds as trees do; images and sets stay standardized (measured in
    /// docs/notes/quality.md).
    /// </summary>
    public NumericEncoding NumericEncoding { get; init; } = NumericEncoding.Auto;

    /// <summary>
    /// Quantile bins per feature for <see cref="NumericEncoding.PiecewiseLinear"/>, ≥ 2 (fewer when a feature has fewer
    /// distinct training values). Default 16, the best of the counts measured in docs/notes/quality.md.
    /// </summary>
    public int NumericBins { get; init; } = 16;

    /// <summary>
    /// The encoding training uses when the bins would give the first layer <paramref name="binnedWidth"/> inputs for
    /// <paramref name="trainingRows"/> rows: <see cref="NumericEncoding.Auto"/> falls back to
    /// <see cref="NumericEncoding.Standardized"/> when the binned inputs outnumber the rows, since each expert's first
    /// layer could then fit every row on its own (wide spectra or sensor tables with a few hundred rows). An encoding
    /// set explicitly is kept.
    /// </summary>
    public NumericEncoding EncodingFor(int binnedWidth, long trainingRows) =>
        NumericEncoding == NumericEncoding.Auto && binnedWidth > trainingRows ? NumericEncoding.Standardized : NumericEncoding;

    /// <summary>Whether the input is encoded piecewise-linearly (<see cref="NumericEncoding"/> resolved for the architecture).</summary>
    internal bool UsesPiecewiseLinear => NumericEncoding switch
    {
        NumericEncoding.PiecewiseLinear => true,
        NumericEncoding.Auto => Architecture is not (Architecture.ConvolutionalAttention or Architecture.SetAttention),
        _ => false,
    };

    /// <summary>
    /// For <see cref="Architecture.ConvolutionalAttention"/>: how the feature vector is an image, [channels, height,
    /// width], in ML.NET ExtractPixels order (channel, row, column). Required there, unused otherwise.
    /// </summary>
    public IReadOnlyList<int>? ImageShape { get; init; }

    /// <summary>Output channels of each convolution block of <see cref="Architecture.ConvolutionalAttention"/>. Default [16, 32].</summary>
    public IReadOnlyList<int> ConvChannels { get; init; } = [16, 32];

    /// <summary>
    /// For <see cref="Architecture.SetAttention"/>: values per item d. A row's feature vector is its items one after
    /// the other, so its length must be a multiple of d; an item whose d values are all NaN is padding (absent).
    /// Required there, unused otherwise.
    /// </summary>
    public int? ItemWidth { get; init; }

    /// <summary>
    /// For <see cref="Architecture.SetAttention"/>: how many values at the start of each row are per-row features (a
    /// user's age, income...) rather than items. They are standardized per column and read by every task beside its
    /// pooled items; the items follow them. In ML.NET, Concatenate the per-row columns and the variable-length item
    /// column, in that order. Default 0.
    /// </summary>
    public int RowFeatureCount { get; init; }

    /// <summary>
    /// For <see cref="Architecture.SetAttention"/>: when set, the first value of each item is an item id, a whole number
    /// 1..<see cref="ItemVocabularySize"/> (what ConvertType to Single makes of an ML.NET key), looked up in a learned
    /// table of <see cref="ItemEmbeddingWidth"/> values; 0 or a missing id (NaN) at scoring time, or an id the table does
    /// not have, reads the table's "unknown" row. The item's other values (if any) are numbers as usual. Null (default):
    /// every value is a number.
    /// </summary>
    public int? ItemVocabularySize { get; init; }

    /// <summary>Width of an item id's learned embedding (with <see cref="ItemVocabularySize"/>). Default 16.</summary>
    public int ItemEmbeddingWidth { get; init; } = 16;

    /// <summary>The item id vocabulary when rows are sets of items whose first value is an id, else null.</summary>
    internal int? SetItemVocabulary => Architecture == Architecture.SetAttention ? ItemVocabularySize : null;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the option when a value is unusable.</summary>
    public void Validate()
    {
        if (ExpertCount < 1)
            throw new ArgumentOutOfRangeException(nameof(ExpertCount), ExpertCount, "ExpertCount must be at least 1.");
        if (TaskExpertCount < 1)
            throw new ArgumentOutOfRangeException(nameof(TaskExpertCount), TaskExpertCount, "TaskExpertCount must be at least 1.");
        if (SelectedExperts < 1)
            throw new ArgumentOutOfRangeException(nameof(SelectedExperts), SelectedExperts, "SelectedExperts must be at least 1.");
        if (Architecture == Architecture.DSelectK && SelectedExperts > ExpertCount)
            throw new ArgumentOutOfRangeException(nameof(SelectedExperts), SelectedExperts,
                $"Architecture.DSelectK needs SelectedExperts ≤ ExpertCount ({ExpertCount}): each selector picks one of the experts.");
        if (!(SmoothStepGamma > 0) || double.IsInfinity(SmoothStepGamma))
            throw new ArgumentOutOfRangeException(nameof(SmoothStepGamma), SmoothStepGamma, "SmoothStepGamma must be a finite number > 0.");
        if (ExtractionLevels < 2)
            throw new ArgumentOutOfRangeException(nameof(ExtractionLevels), ExtractionLevels, "ExtractionLevels must be at least 2 (one level is Architecture.Cgc).");
        if (ExpertHiddenSizes is null || ExpertHiddenSizes.Count == 0 || ExpertHiddenSizes.Any(w => w < 1))
            throw new ArgumentOutOfRangeException(nameof(ExpertHiddenSizes), "ExpertHiddenSizes needs at least one width, each ≥ 1.");
        if (TowerHiddenSizes is null || TowerHiddenSizes.Any(w => w < 1))
            throw new ArgumentOutOfRangeException(nameof(TowerHiddenSizes), "TowerHiddenSizes widths must each be ≥ 1.");
        if (Dropout is { } dropout && !(dropout >= 0 && dropout < 1))
            throw new ArgumentOutOfRangeException(nameof(Dropout), dropout, "Dropout must be in [0, 1), or null for the size-aware default.");
        if (ConvChannels is null || ConvChannels.Count == 0 || ConvChannels.Any(c => c < 1))
            throw new ArgumentOutOfRangeException(nameof(ConvChannels), "ConvChannels needs at least one block, each with ≥ 1 channel.");
        if (Architecture == Architecture.ConvolutionalAttention && (ImageShape is not { Count: 3 } || ImageShape.Any(s => s < 1)))
            throw new ArgumentOutOfRangeException(nameof(ImageShape), "Architecture.ConvolutionalAttention needs ImageShape = [channels, height, width], each ≥ 1.");
        if (Architecture == Architecture.SetAttention && ItemWidth is not >= 1)
            throw new ArgumentOutOfRangeException(nameof(ItemWidth), ItemWidth, "Architecture.SetAttention needs ItemWidth (values per item) ≥ 1.");
        if (RowFeatureCount < 0)
            throw new ArgumentOutOfRangeException(nameof(RowFeatureCount), RowFeatureCount, "RowFeatureCount must be 0 or more.");
        if (ItemVocabularySize is < 1)
            throw new ArgumentOutOfRangeException(nameof(ItemVocabularySize), ItemVocabularySize, "ItemVocabularySize (the number of item ids) must be at least 1.");
        if (ItemEmbeddingWidth < 1)
            throw new ArgumentOutOfRangeException(nameof(ItemEmbeddingWidth), ItemEmbeddingWidth, "ItemEmbeddingWidth must be at least 1.");
        if (NumericBins < 2)
            throw new ArgumentOutOfRangeException(nameof(NumericBins), NumericBins, "NumericBins must be at least 2.");
        if (!Enum.IsDefined(NumericEncoding))
            throw new ArgumentOutOfRangeException(nameof(NumericEncoding), NumericEncoding, "Unknown numeric encoding.");
        if (NumericEncoding == NumericEncoding.PiecewiseLinear && Architecture is Architecture.ConvolutionalAttention or Architecture.SetAttention)
            throw new ArgumentOutOfRangeException(nameof(NumericEncoding), NumericEncoding,
                $"NumericEncoding.PiecewiseLinear is for fixed-width table rows; Architecture.{Architecture} reads pixels or items: use Auto or Standardized.");
        if (!Enum.IsDefined(Architecture))
            throw new ArgumentOutOfRangeException(nameof(Architecture), Architecture, "Unknown architecture.");
        if (!Enum.IsDefined(AttentionFunction))
            throw new ArgumentOutOfRangeException(nameof(AttentionFunction), AttentionFunction, "Unknown attention function.");
        if (!Enum.IsDefined(Activation))
            throw new ArgumentOutOfRangeException(nameof(Activation), Activation, "Unknown activation.");
    }
}
