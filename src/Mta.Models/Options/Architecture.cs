namespace Mta.Models.Options;

/// <summary>How the per-task representations are formed from the shared input.</summary>
public enum Architecture
{
    /// <summary>Shared experts H; each task attends over them: w_k = f(H v_k), o_k = Σ_i w_ki h_i.</summary>
    ExpertAttention,

    /// <summary>MMoE: shared experts mixed by input-conditioned gates w_k = softmax(W_k x).</summary>
    MixtureOfExperts,

    /// <summary>Shared-bottom: one shared MLP feeds every task tower (no attention).</summary>
    SharedBottom,
}
