namespace Mta.Models.Options;

/// <summary>Shape of the multi-task network.</summary>
public sealed record NetworkOptions
{
    /// <summary>How tasks draw on the shared experts. Default: <see cref="Architecture.ExpertAttention"/>.</summary>
    public Architecture Architecture { get; init; } = Architecture.ExpertAttention;

    /// <summary>Attention weighting for <see cref="Architecture.ExpertAttention"/>. Default: softmax.</summary>
    public AttentionFunction AttentionFunction { get; init; } = AttentionFunction.Softmax;

    /// <summary>Number of shared experts E (forced to 1 for shared-bottom). Default 4.</summary>
    public int ExpertCount { get; init; } = 4;

    /// <summary>Hidden widths of each expert MLP; the last is the expert output width. Default [64, 32].</summary>
    public IReadOnlyList<int> ExpertHiddenSizes { get; init; } = [64, 32];

    /// <summary>Hidden widths of each task tower (empty: the head reads the task representation). Default [16].</summary>
    public IReadOnlyList<int> TowerHiddenSizes { get; init; } = [16];

    /// <summary>Hidden-layer activation. Default ReLU.</summary>
    public Activation Activation { get; init; } = Activation.Relu;

    /// <summary>Dropout after each hidden layer during training, in [0, 1). Default 0.1.</summary>
    public float Dropout { get; init; } = 0.1f;

    /// <summary>Experts actually built: 1 for shared-bottom, <see cref="ExpertCount"/> otherwise.</summary>
    public int EffectiveExpertCount => Architecture == Architecture.SharedBottom ? 1 : ExpertCount;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the option when a value is unusable.</summary>
    public void Validate()
    {
        if (ExpertCount < 1)
            throw new ArgumentOutOfRangeException(nameof(ExpertCount), ExpertCount, "ExpertCount must be at least 1.");
        if (ExpertHiddenSizes is null || ExpertHiddenSizes.Count == 0 || ExpertHiddenSizes.Any(w => w < 1))
            throw new ArgumentOutOfRangeException(nameof(ExpertHiddenSizes), "ExpertHiddenSizes needs at least one width, each ≥ 1.");
        if (TowerHiddenSizes is null || TowerHiddenSizes.Any(w => w < 1))
            throw new ArgumentOutOfRangeException(nameof(TowerHiddenSizes), "TowerHiddenSizes widths must each be ≥ 1.");
        if (!(Dropout >= 0 && Dropout < 1))
            throw new ArgumentOutOfRangeException(nameof(Dropout), Dropout, "Dropout must be in [0, 1).");
        if (!Enum.IsDefined(Architecture))
            throw new ArgumentOutOfRangeException(nameof(Architecture), Architecture, "Unknown architecture.");
        if (!Enum.IsDefined(AttentionFunction))
            throw new ArgumentOutOfRangeException(nameof(AttentionFunction), AttentionFunction, "Unknown attention function.");
        if (!Enum.IsDefined(Activation))
            throw new ArgumentOutOfRangeException(nameof(Activation), Activation, "Unknown activation.");
    }
}
