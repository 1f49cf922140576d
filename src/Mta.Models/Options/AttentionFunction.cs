namespace Mta.Models.Options;

/// <summary>How expert scores H v_k become attention weights.</summary>
public enum AttentionFunction
{
    /// <summary>Weights sum to 1 over experts (a convex mix).</summary>
    Softmax,

    /// <summary>Each expert gated independently in (0, 1).</summary>
    Sigmoid,
}
