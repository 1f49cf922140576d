namespace Mta.Models.Options;

/// <summary>How the per-task representations are formed from the shared input.</summary>
public enum Architecture
{
    /// <summary>
    /// Global attention (the default): shared experts H; each task attends over them, w_k = f(H v_k),
    /// o_k = Σ_i w_ki h_i. <c>{task}.Attention</c>: the task's weights over the <see cref="NetworkOptions.ExpertCount"/> experts.
    /// </summary>
    ExpertAttention,

    /// <summary>MMoE (Ma et al. 2018): shared experts mixed by input-conditioned gates w_k = softmax(W_k x). Attention: the gates.</summary>
    MixtureOfExperts,

    /// <summary>Shared-bottom: one shared MLP feeds every task tower (no attention; attention width 1, always 1).</summary>
    SharedBottom,

    /// <summary>
    /// Local (feature-wise) attention, MTAN-style (Liu et al. 2019): a shared trunk s, and per task a mask
    /// a_k = σ(MLP_k(s)) over the trunk's units; the task reads a_k ⊙ s. Attention: the mask (width = the last
    /// of <see cref="NetworkOptions.ExpertHiddenSizes"/>).
    /// </summary>
    LocalAttention,

    /// <summary>
    /// CGC (Tang et al. 2020): <see cref="PleOptions.TaskExpertCount"/> experts per task plus
    /// <see cref="NetworkOptions.ExpertCount"/> shared experts; task k's gate mixes its own and the shared ones.
    /// Attention: the gate (own experts first, then shared).
    /// </summary>
    Cgc,

    /// <summary>PLE (Tang et al. 2020): <see cref="PleOptions.ExtractionLevels"/> stacked CGC levels with a shared gate between levels.</summary>
    Ple,

    /// <summary>
    /// Convolutional attention for images: a shared CNN (<see cref="ImageOptions.ConvChannels"/> blocks of conv 3×3 →
    /// batch norm → activation → max pool 2×2) over the features read as <see cref="ImageOptions.ImageShape"/>; per
    /// task a spatial mask a_k = σ(conv1×1_k(F)) and the global average of a_k ⊙ F. Attention: the mask, one value
    /// per cell of the final H'×W' grid.
    /// </summary>
    ConvolutionalAttention,

    /// <summary>
    /// Attention-weighted pooling over a set or sequence of items (a user's last items, the parts of an order): the
    /// feature vector holds items of <see cref="SetOptions.ItemWidth"/> values each, as many as the row has (an
    /// ML.NET variable-length vector, or a fixed one padded with all-NaN items). A shared MLP encodes every item,
    /// h_t = MLP(x_t) (<see cref="NetworkOptions.ExpertHiddenSizes"/>); each task pools them with its own softmax
    /// over the items, α_k,t ∝ exp(u_k · tanh(W h_t + b)), o_k = Σ_t α_k,t h_t, read with log(1 + number of items);
    /// padding items get no weight, and a row without items pools to zeros. With
    /// <see cref="SetOptions.ItemVocabularySize"/> each item starts with an id, embedded; with
    /// <see cref="SetOptions.RowFeatureCount"/> the row starts with per-row features, read beside the pooled items.
    /// Attention: α_k, one weight per item of the row.
    /// </summary>
    SetAttention,

    /// <summary>
    /// DSelect-k (Hazimeh et al., NeurIPS 2021): <see cref="NetworkOptions.ExpertCount"/> shared experts, as in
    /// <see cref="MixtureOfExperts"/>, mixed per task by <see cref="DSelectKOptions.SelectedExperts"/> single-expert
    /// selectors. Selector s reads ℓ = ⌈log₂ E⌉ values z = W x + b through the cubic smooth-step S (width
    /// <see cref="DSelectKOptions.SmoothStepGamma"/>) as a binary code: its weight on expert i is
    /// Π_j (S(z_j) if bit j of i is 1, else 1 − S(z_j)), which is exactly one expert once every |z_j| ≥ γ/2; the task
    /// mixes its selectors by softmax(W' x + b'). Gates are per example (the paper's input-conditioned variant); when E is
    /// not a power of two, code i stands for expert i mod E. No entropy regularizer. Attention: the task's weights over
    /// the experts (they sum to 1, and at most <see cref="DSelectKOptions.SelectedExperts"/> are nonzero once the selectors
    /// saturate).
    /// </summary>
    DSelectK,

    /// <summary>
    /// Cross-stitch networks (Misra et al., CVPR 2016): one MLP column per task (<see cref="NetworkOptions.ExpertHiddenSizes"/>),
    /// and after every layer a learned T×T cross-stitch matrix α that mixes the columns, x̃_k = Σ_j α_kj x_j, starting at
    /// 0.9 on the diagonal and 0.1 / (T − 1) elsewhere. Attention: row k of the last stitch matrix, task k's weights over
    /// the task columns (width T, the same for every row; not constrained to sum to 1).
    /// </summary>
    CrossStitch,
}
