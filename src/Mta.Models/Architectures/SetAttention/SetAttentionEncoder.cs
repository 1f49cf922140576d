using Mta.Models.Data;
using Mta.Models.Modules;
using Mta.Models.Onnx;
using Mta.Models.Options;
using Mta.Models.TorchSharpFixes;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mta.Models.Architectures.SetAttention;

/// <summary>
/// Attention-weighted pooling over a variable number of items (Bahdanau-style additive attention, one query per
/// task): every item x_t is encoded by a shared MLP, h_t = MLP(x_t); task k scores it, e_k,t = u_k · tanh(W h_t + b),
/// and pools o_k = Σ_t α_k,t h_t with α_k = softmax over the row's items. The task's representation is o_k followed by
/// log(1 + n), n the row's number of items: softmax weights sum to 1, so o_k alone is a weighted mean and would hide how
/// many items there are (a count, a basket size), and then the row's own features when the layout has any
/// (<see cref="SetOptions.RowFeatureCount"/>). <c>{task}.Attention</c> is α_k: which items the task read.
/// </summary>
/// <remarks>
/// The input is the standardized row [B, L·d]: L items of d values, padding items NaN (see
/// <see cref="MultiTaskNetwork.Standardize"/>). Padding gets a score of −1e9, so exp() makes its weight exactly 0
/// next to any real item; a row with no items at all would get a uniform softmax over padding, so the weights are
/// also multiplied by the presence mask: such a row pools to zeros and its prediction comes from the biases alone.
/// Nothing depends on L, so a row may have more items than any training row. With
/// <see cref="SetOptions.ItemVocabularySize"/> the item's first value is an id: the MLP reads its learned embedding
/// (row 0 of the table for an unknown id) followed by the item's other values.
/// </remarks>
internal sealed class SetAttentionEncoder : TaskEncoder
{
    private const float PaddingScore = -1e9f;
    private readonly GroupedMlp items;
    private readonly GroupedLinear scorer;
    private readonly Parameter queries;
    private readonly Embedding? ids;
    private readonly int _itemWidth;
    private readonly int _rowFeatures;
    private readonly int _vocabulary;

    public SetAttentionEncoder(int featureCount, int taskCount, NetworkOptions options) : base(nameof(SetAttentionEncoder))
    {
        var layout = ItemLayout.Of(options) ?? throw new ArgumentException("Architecture.SetAttention needs Set.ItemWidth.", nameof(options));
        if (!layout.Fits(featureCount))
            throw new ArgumentException($"The feature vector has {featureCount} values per row, not {layout.Expected}.", nameof(options));
        (_itemWidth, _rowFeatures) = (layout.ItemWidth, layout.RowFeatures);
        AttentionWidth = layout.Items(featureCount);
        int itemInput = _itemWidth;
        if (options.Set.ItemVocabularySize is int vocabulary)
        {
            _vocabulary = vocabulary;
            ids = nn.Embedding(vocabulary + 1, options.Set.ItemEmbeddingWidth);
            itemInput = options.Set.ItemEmbeddingWidth + _itemWidth - 1;
        }
        items = new GroupedMlp(nameof(items), 1, itemInput, options.ExpertHiddenSizes, options.Activation, options.ResolvedDropout());
        scorer = new GroupedLinear(nameof(scorer), 1, items.OutputWidth, items.OutputWidth);
        // Small queries (a tenth of a linear layer's scale) start every task near an even mix of its items, a mean
        // pooling it then learns away from. ExpertAttentionEncoder starts at a linear layer's scale because that was
        // measured to help the mix of experts; it has not been measured for items.
        using var queryScale = (0.1 / Math.Sqrt(items.OutputWidth)).ToScalar();   // disposed, not left to a finalizer (see ConstantScalars)
        queries = new Parameter(randn(items.OutputWidth, taskCount).mul_(queryScale));
        RegisterComponents();
    }

    public override int OutputWidth => items.OutputWidth + 1 + _rowFeatures;

    /// <summary>Items in the longest training row (a row's own attention has one weight per item it has).</summary>
    public override int AttentionWidth { get; }

    public override IReadOnlyList<Parameter> LastSharedLayer => [items.LastWeight];

    public override IReadOnlyList<string> SourceNames(IReadOnlyList<string> tasks) =>
        Enumerable.Range(1, AttentionWidth).Select(i => $"item {i}").ToArray();

    public override TaskEncoding forward(Tensor z)
    {
        long rows = z.shape[0], itemValues = z.shape[1] - _rowFeatures;
        var x = z.narrow(1, _rowFeatures, itemValues).view(rows, itemValues / _itemWidth, _itemWidth);   // [B, L, d] (L may be 0)
        var missing = x.isnan();
        var padding = missing.select(-1, 0);                                           // [B, L]: padding items are all NaN
        var h = items.forward(ItemInput(where(missing, zeros_like(x), x)));            // [B, L, u]
        var scores = scorer.forward(h).tanh().matmul(queries).transpose(1, 2);        // [B, T, L]
        var present = padding.logical_not().to_type(ScalarType.Float32).unsqueeze(1); // [B, 1, L]
        var weights = scores.masked_fill(padding.unsqueeze(1), ConstantScalars.Of(PaddingScore)).softmax(-1).mul(present);
        var size = present.sum(-1, keepdim: true).log1p().expand(-1, weights.shape[1], 1);   // [B, T, 1]: log(1 + n)
        var parts = new List<Tensor> { weights.matmul(h), size };
        if (_rowFeatures > 0)
            parts.Add(z.narrow(1, 0, _rowFeatures).unsqueeze(1).expand(-1, weights.shape[1], -1)); // [B, T, p]
        return new(cat(parts, -1).transpose(0, 1), weights);                                  // [T, B, u + 1 + p], [B, T, L]
    }

    public override (string PerTask, string Weights) ExportOnnx(OnnxNetworkWriter w, string z)
    {
        var g = w.Graph;
        var itemValues = _rowFeatures == 0 ? z
            : w.Node("Slice", [z, w.Int64s("items_start", _rowFeatures), w.Int64s("items_end", long.MaxValue), w.Int64s("items_axis", 1)], "item_values_of_row");
        var x = w.Node("Reshape", [itemValues, w.Int64s("items_shape", 0, -1, _itemWidth)], "items");              // [N, L, d]
        var missing = w.Node("IsNaN", [x], "item_value_missing");
        var padding = w.Node("Gather", [missing, g.Constant("first_value", [0L])], "item_padding", OnnxAttr.Int("axis", 2)); // [N, L]
        var filled = w.Node("Where", [missing, g.Constant("zero", [0f]), x], "items_filled");
        var h = items.ExportOnnx(w, ExportItemInput(w, filled), "item");                                                                   // [N, L, u]
        var hidden = w.Node("Tanh", [scorer.ExportOnnx(w, h, "item_score")], "item_score_tanh");
        var scores = w.Node("Transpose", [w.Node("MatMul", [hidden, w.Constant("task_queries", queries)], "item_scores")],
            "task_item_scores", OnnxAttr.Ints("perm", 0, 2, 1));                                                      // [N, T, L]
        var paddingRow = w.Node("Unsqueeze", [padding, w.Int64s("axis1", 1)], "item_padding_row");                    // [N, 1, L]
        var masked = w.Node("Where", [paddingRow, g.Constant("padding_score", [PaddingScore]), scores], "masked_scores");
        var present = w.Node("Cast", [w.Node("Not", [paddingRow], "item_present_row")], "item_present", OnnxAttr.Int("to", (long)OnnxElementType.Float));
        var weights = w.Node("Mul", [w.Node("Softmax", [masked], "item_softmax", OnnxAttr.Int("axis", -1)), present], "item_attention");
        var pooled = w.Node("MatMul", [weights, h], "pooled");                                                          // [N, T, u]
        // n = present · presentᵀ: a MatMul over the items axis is 0 for a row without items, where ORT's ReduceSum over an
        // empty axis keeps the axis empty (a row without items is a [rows, 0] tensor).
        var count = w.Node("MatMul", [present, w.Node("Transpose", [present], "item_present_t", OnnxAttr.Ints("perm", 0, 2, 1))], "item_count"); // [N, 1, 1]
        var size = w.Node("Log", [w.Node("Add", [count, g.Constant("one", [1f])], "item_count_plus_1")], "log_item_count");
        var sizes = w.Node("Expand", [size, w.Node("Concat", [w.Node("Shape", [pooled], "pooled_shape", OnnxAttr.Int("end", 2)), w.Int64s("one_wide", 1)],
            "size_shape", OnnxAttr.Int("axis", 0))], "log_item_counts");                                                // [N, T, 1]
        var representation = w.Node("Concat", [pooled, sizes], "pooled_with_size", OnnxAttr.Int("axis", -1));         // [N, T, u + 1]
        if (_rowFeatures > 0)
        {
            var row = w.Node("Slice", [z, w.Int64s("row_start", 0), w.Int64s("row_end", _rowFeatures), w.Int64s("row_axis", 1)], "row_features");
            var rowShape = w.Node("Concat", [w.Node("Shape", [pooled], "pooled_rows_tasks", OnnxAttr.Int("end", 2)), w.Int64s("row_width", _rowFeatures)],
                "row_features_shape", OnnxAttr.Int("axis", 0));
            var perTask = w.Node("Expand", [w.Node("Unsqueeze", [row, w.Int64s("task_axis", 1)], "row_features_row"), rowShape], "row_features_per_task");
            representation = w.Node("Concat", [representation, perTask], "pooled_with_row", OnnxAttr.Int("axis", -1));  // [N, T, u + 1 + p]
        }
        return (w.SwapFirstAxes(representation, "per_task"), weights);
    }

    /// <summary>[B, L, d] → the MLP's input: as it is, or the id's embedding followed by the other values.</summary>
    private Tensor ItemInput(Tensor x)
    {
        if (ids is null)
            return x;
        var id = x.select(-1, 0);
        var known = id.ge(ConstantScalars.Of(1)).logical_and(id.le(ConstantScalars.Of(_vocabulary))).logical_and(id.eq(id.floor()));
        var embedded = ids.forward(where(known, id, zeros_like(id)).to_type(ScalarType.Int64));           // [B, L, e]
        return _itemWidth == 1 ? embedded : cat([embedded, x.narrow(-1, 1, _itemWidth - 1)], -1);
    }

    private string ExportItemInput(OnnxNetworkWriter w, string x)
    {
        if (ids is null)
            return x;
        var g = w.Graph;
        var id = w.Node("Gather", [x, g.Constant("id_value", [0L])], "item_id", OnnxAttr.Int("axis", 2));     // [N, L]
        var inRange = w.Node("And", [w.Node("GreaterOrEqual", [id, g.Constant("first_id", [1f])], "id_at_least_1"),
            w.Node("LessOrEqual", [id, g.Constant("last_id", [(float)_vocabulary])], "id_at_most_v")], "id_in_range");
        var known = w.Node("And", [inRange, w.Node("Equal", [id, w.Node("Floor", [id], "id_floor")], "id_whole")], "id_known");
        var index = w.Node("Cast", [w.Node("Where", [known, id, g.Constant("unknown_id", [0f])], "id_or_unknown")], "id_index",
            OnnxAttr.Int("to", (long)OnnxElementType.Int64));
        var embedded = w.Node("Gather", [w.Constant("item_embeddings", ids.weight!), index], "item_embedded", OnnxAttr.Int("axis", 0)); // [N, L, e]
        if (_itemWidth == 1)
            return embedded;
        var rest = w.Node("Slice", [x, w.Int64s("rest_start", 1), w.Int64s("rest_end", _itemWidth), w.Int64s("rest_axis", 2)], "item_values");
        return w.Node("Concat", [embedded, rest], "item_input", OnnxAttr.Int("axis", -1));
    }
}
