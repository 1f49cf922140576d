using Mta.Models.Modules;
using Mta.Models.Onnx;
using Mta.Models.Options;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mta.Models.Architectures.SetAttention;

/// <summary>
/// Attention-weighted pooling over a variable number of items (Bahdanau-style additive attention, one query per
/// task): every item x_t is encoded by a shared MLP, h_t = MLP(x_t); task k scores it, e_k,t = u_k · tanh(W h_t + b),
/// and pools o_k = Σ_t α_k,t h_t with α_k = softmax over the row's items. <c>{task}.Attention</c> is α_k: which items
/// the task read.
/// </summary>
/// <remarks>
/// The input is the standardized row [B, L·d]: L items of d values, padding items NaN (see
/// <see cref="MultiTaskNetwork.Standardize"/>). Padding gets a score of −1e9, so exp() makes its weight exactly 0
/// next to any real item; a row with no items at all would get a uniform softmax over padding, so the weights are
/// also multiplied by the presence mask: such a row pools to zeros and its prediction comes from the biases alone.
/// Nothing depends on L, so a row may have more items than any training row.
/// </remarks>
internal sealed class SetAttentionEncoder : TaskEncoder
{
    private const float PaddingScore = -1e9f;
    private readonly GroupedMlp items;
    private readonly GroupedLinear scorer;
    private readonly Parameter queries;
    private readonly int _itemWidth;

    public SetAttentionEncoder(int featureCount, int taskCount, NetworkOptions options) : base(nameof(SetAttentionEncoder))
    {
        _itemWidth = options.ItemWidth ?? throw new ArgumentException("Architecture.SetAttention needs ItemWidth.", nameof(options));
        if (featureCount % _itemWidth != 0)
            throw new ArgumentException($"The feature vector has {featureCount} values per row, not a whole number of items of ItemWidth {_itemWidth}.", nameof(options));
        AttentionWidth = featureCount / _itemWidth;
        items = new GroupedMlp(nameof(items), 1, _itemWidth, options.ExpertHiddenSizes, options.Activation, options.Dropout);
        scorer = new GroupedLinear(nameof(scorer), 1, items.OutputWidth, items.OutputWidth);
        // Small queries start every task near an even mix of its items, as in ExpertAttentionEncoder.
        queries = new Parameter(randn(items.OutputWidth, taskCount).mul_(0.1 / Math.Sqrt(items.OutputWidth)));
        RegisterComponents();
    }

    public override int OutputWidth => items.OutputWidth;

    /// <summary>Items in the longest training row (a row's own attention has one weight per item it has).</summary>
    public override int AttentionWidth { get; }

    public override IReadOnlyList<Parameter> LastSharedLayer => [items.LastWeight];

    public override IReadOnlyList<string> SourceNames(IReadOnlyList<string> tasks) =>
        Enumerable.Range(1, AttentionWidth).Select(i => $"item {i}").ToArray();

    public override TaskEncoding forward(Tensor z)
    {
        var x = z.view(z.shape[0], -1, _itemWidth);                                    // [B, L, d]
        var missing = x.isnan();
        var padding = missing.select(-1, 0);                                           // [B, L]: padding items are all NaN
        var h = items.forward(where(missing, zeros_like(x), x));                       // [B, L, u]
        var scores = scorer.forward(h).tanh().matmul(queries).transpose(1, 2);        // [B, T, L]
        var present = padding.logical_not().to_type(ScalarType.Float32).unsqueeze(1); // [B, 1, L]
        var weights = scores.masked_fill(padding.unsqueeze(1), PaddingScore).softmax(-1).mul(present);
        return new(weights.matmul(h).transpose(0, 1), weights);                        // [T, B, u], [B, T, L]
    }

    public override (string PerTask, string Weights) ExportOnnx(OnnxNetworkWriter w, string z)
    {
        var g = w.Graph;
        var x = w.Node("Reshape", [z, w.Int64s("items_shape", 0, -1, _itemWidth)], "items");                        // [N, L, d]
        var missing = w.Node("IsNaN", [x], "item_value_missing");
        var padding = w.Node("Gather", [missing, g.Constant("first_value", [0L])], "item_padding", OnnxAttr.Int("axis", 2)); // [N, L]
        var filled = w.Node("Where", [missing, g.Constant("zero", [0f]), x], "items_filled");
        var h = w.GroupedMlp(items, filled, "item");                                                                   // [N, L, u]
        var hidden = w.Node("Tanh", [w.GroupedLinear(scorer, h, "item_score")], "item_score_tanh");
        var scores = w.Node("Transpose", [w.Node("MatMul", [hidden, w.Constant("task_queries", queries)], "item_scores")],
            "task_item_scores", OnnxAttr.Ints("perm", 0, 2, 1));                                                      // [N, T, L]
        var paddingRow = w.Node("Unsqueeze", [padding, w.Int64s("axis1", 1)], "item_padding_row");                    // [N, 1, L]
        var masked = w.Node("Where", [paddingRow, g.Constant("padding_score", [PaddingScore]), scores], "masked_scores");
        var present = w.Node("Cast", [w.Node("Not", [paddingRow], "item_present_row")], "item_present", OnnxAttr.Int("to", (long)OnnxElementType.Float));
        var weights = w.Node("Mul", [w.Node("Softmax", [masked], "item_softmax", OnnxAttr.Int("axis", -1)), present], "item_attention");
        var pooled = w.Node("MatMul", [weights, h], "pooled");                                                          // [N, T, u]
        return (w.SwapFirstAxes(pooled, "per_task"), weights);
    }
}
