namespace Mta.Models.Options;

/// <summary>How a multiclass task turns its class probabilities into a predicted class.</summary>
public enum MulticlassDecision
{
    /// <summary>The most probable class (maximizes accuracy).</summary>
    MostLikely,

    /// <summary>
    /// Scores p_c / π_c renormalized, π_c the class's share of the training labels (Menon et al. 2021, "logit
    /// adjustment"), and the class with the largest of them: classes are predicted by how recognizable they are rather
    /// than how frequent, which favors the mean per-class recall (macro-accuracy) when classes are imbalanced.
    /// </summary>
    Balanced,
}
