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

    /// <summary>Hidden widths of each expert MLP; the last is the expert output width. Default [64, 32].</summary>
    public IReadOnlyList<int> ExpertHiddenSizes { get; init; } = [64, 32];

    /// <summary>Hidden widths of each task tower (empty: the head reads the task representation). Default [16].</summary>
    public IReadOnlyList<int> TowerHiddenSizes { get; init; } = [16];

    /// <summary>Hidden-layer activation. Default ReLU.</summary>
    public Activation Activation { get; init; } = Activation.Relu;

    /// <summary>
    /// Dropout after each hidden layer during training, in [0, 1). Default null: sized to the rows trained on
    /// (resolved by the trainer), 0.2 up to 10,000 rows and 0.2 × 10,000 / rows above, e.g. 0.05 at 40,000 rows.
    /// Small tables gain from 0.2; on a larger one the same noise blurs what the data can support
    /// (measured in docs/notes/quality.md). The trained model's options hold the value used.
    /// </summary>
    public float? Dropout { get; init; }

    /// <summary>The default dropout for small data, and the row count up to which it holds.</summary>
    private const float SmallDataDropout = 0.2f;
    private const long SmallDataRows = 10_000;

    /// <summary>
    /// The dropout in effect: <see cref="Dropout"/> when set, otherwise sized to <paramref name="trainingRows"/>, 0.2 up
    /// to 10,000 rows and 0.2 × 10,000 / rows above, so that the noise per row shrinks as the data grows. The trainer
    /// resolves it once from the row count (Training/SizedOptions.cs) and stores it in <see cref="Dropout"/>; the modules
    /// read it with no rows, which gives a network built outside the trainer the small-data rate.
    /// </summary>
    internal float ResolvedDropout(long trainingRows = 0) =>
        Dropout ?? (trainingRows <= SmallDataRows ? SmallDataDropout : (float)(SmallDataDropout * SmallDataRows / (double)trainingRows));

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
    /// Members of a parameter-efficient ensemble (TabM-mini, Gorishniy et al. 2025), ≥ 1. With k &gt; 1 every row passes
    /// through the network k times, each time with its encoded inputs multiplied by the member's own learned vector
    /// (started, as TabM does, at one N(0, 1) value per feature shared by its bins, or at random signs ±1 on
    /// standardized inputs), and every member has its own output layer per task; experts, attention and towers are
    /// shared. Training minimizes the mean of the k members' losses; predictions are the mean of the k members'
    /// predictions (probabilities for classes). Training and scoring cost about k times as much. For table rows only
    /// (not images or sets). Default null: sized to the rows trained on (resolved by the trainer), 4 members up to
    /// 2,048 rows, where averaging members pays for its cost, and 1 (no ensemble) above, where the members did not
    /// predict better than one network (docs/notes/quality.md). The trained model's options hold the value used.
    /// </summary>
    public int? EnsembleMembers { get; init; }

    /// <summary>The default ensemble for small data, and the row count up to which it holds.</summary>
    private const int SmallDataMembers = 4;
    private const long EnsembleRows = 2_048;

    /// <summary>
    /// The members in effect: <see cref="EnsembleMembers"/> when set, otherwise sized to <paramref name="trainingRows"/>
    /// (images and sets: 1). The trainer resolves it once from the row count (Training/SizedOptions.cs) and stores it in
    /// <see cref="EnsembleMembers"/>; a network built outside the trainer from unresolved options, as a model saved
    /// before the option existed is, has one member.
    /// </summary>
    internal int ResolvedEnsembleMembers(long? trainingRows = null) =>
        EnsembleMembers ?? (trainingRows <= EnsembleRows && ReadsTableRows ? SmallDataMembers : 1);

    /// <summary>Whether the architecture reads fixed-width table rows, not pixels (images) or items (sets).</summary>
    internal bool ReadsTableRows => Architecture is not (Architecture.ConvolutionalAttention or Architecture.SetAttention);

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
        NumericEncoding.Auto => ReadsTableRows,
        _ => false,
    };

    // Options one architecture alone reads live in its group, so a reader of NetworkOptions sees what is shared.

    /// <summary>Options of <see cref="Architecture.ConvolutionalAttention"/> (ImageShape, ConvChannels).</summary>
    public ImageOptions Image { get; init; } = new();

    /// <summary>Options of <see cref="Architecture.SetAttention"/> (ItemWidth, RowFeatureCount, ItemVocabularySize, ItemEmbeddingWidth).</summary>
    public SetOptions Set { get; init; } = new();

    /// <summary>Options of <see cref="Architecture.Cgc"/> and <see cref="Architecture.Ple"/> (TaskExpertCount, ExtractionLevels).</summary>
    public PleOptions Ple { get; init; } = new();

    /// <summary>Options of <see cref="Architecture.DSelectK"/> (SelectedExperts, SmoothStepGamma).</summary>
    public DSelectKOptions DSelectK { get; init; } = new();

    /// <summary>The item id vocabulary when rows are sets of items whose first value is an id, else null.</summary>
    internal int? SetItemVocabulary => Architecture == Architecture.SetAttention ? Set.ItemVocabularySize : null;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the option when a value is unusable.</summary>
    public void Validate()
    {
        if (ExpertCount < 1)
            throw new ArgumentOutOfRangeException(nameof(ExpertCount), ExpertCount, "ExpertCount must be at least 1.");
        if (ExpertHiddenSizes is null || ExpertHiddenSizes.Count == 0 || ExpertHiddenSizes.Any(w => w < 1))
            throw new ArgumentOutOfRangeException(nameof(ExpertHiddenSizes), "ExpertHiddenSizes needs at least one width, each ≥ 1.");
        if (TowerHiddenSizes is null || TowerHiddenSizes.Any(w => w < 1))
            throw new ArgumentOutOfRangeException(nameof(TowerHiddenSizes), "TowerHiddenSizes widths must each be ≥ 1.");
        if (Dropout is { } dropout && !(dropout >= 0 && dropout < 1))
            throw new ArgumentOutOfRangeException(nameof(Dropout), dropout, "Dropout must be in [0, 1), or null for the size-aware default.");
        if (Image is null || Set is null || Ple is null || DSelectK is null)
            throw new ArgumentOutOfRangeException(Image is null ? nameof(Image) : Set is null ? nameof(Set) : Ple is null ? nameof(Ple) : nameof(DSelectK),
                "An option group must not be null; leave it out for its defaults.");
        Image.Validate(Architecture);
        Set.Validate(Architecture);
        Ple.Validate();
        DSelectK.Validate(Architecture, ExpertCount);
        if (EnsembleMembers is < 1)
            throw new ArgumentOutOfRangeException(nameof(EnsembleMembers), EnsembleMembers, "EnsembleMembers must be at least 1 (1: no ensemble), or null for the size-aware default.");
        if (EnsembleMembers is > 1 && !ReadsTableRows)
            throw new ArgumentOutOfRangeException(nameof(EnsembleMembers), EnsembleMembers,
                $"EnsembleMembers > 1 is for table rows; Architecture.{Architecture} reads pixels or items: use 1.");
        if (NumericBins < 2)
            throw new ArgumentOutOfRangeException(nameof(NumericBins), NumericBins, "NumericBins must be at least 2.");
        if (!Enum.IsDefined(NumericEncoding))
            throw new ArgumentOutOfRangeException(nameof(NumericEncoding), NumericEncoding, "Unknown numeric encoding.");
        if (NumericEncoding is NumericEncoding.PiecewiseLinear or NumericEncoding.RobustScaled && !ReadsTableRows)
            throw new ArgumentOutOfRangeException(nameof(NumericEncoding), NumericEncoding,
                $"NumericEncoding.{NumericEncoding} is for fixed-width table rows; Architecture.{Architecture} reads pixels or items: use Auto or Standardized.");
        if (!Enum.IsDefined(Architecture))
            throw new ArgumentOutOfRangeException(nameof(Architecture), Architecture, "Unknown architecture.");
        if (!Enum.IsDefined(AttentionFunction))
            throw new ArgumentOutOfRangeException(nameof(AttentionFunction), AttentionFunction, "Unknown attention function.");
        if (!Enum.IsDefined(Activation))
            throw new ArgumentOutOfRangeException(nameof(Activation), Activation, "Unknown activation.");
    }
}
