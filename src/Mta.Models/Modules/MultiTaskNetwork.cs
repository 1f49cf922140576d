using Mta.Models.Architectures;
using Mta.Models.Data;
using Mta.Models.Onnx;
using Mta.Models.Options;
using Mta.Models.Tasks;
using Mta.Models.Tasks.Heads;
using Mta.Models.TorchSharpFixes;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mta.Models.Modules;

/// <summary>
/// standardize(x) → piecewise-linear bins (optional) → task encoder (the architecture: experts + attention, gates, masks, ...) [T, B, u]
/// → per-task towers [T, B, t] → per-task heads. With an ensemble (<see cref="NetworkOptions.EnsembleMembers"/> = m) each
/// row enters the encoder m times, scaled by each member's vector, each member has its own head per task, and in eval mode
/// the m predictions are averaged.
/// </summary>
/// <remarks>
/// Input standardization lives inside the network as buffers so that TorchSharp and the exported ONNX graph
/// compute exactly the same thing; a non-finite feature becomes 0 after standardization, i.e. the training mean.
/// For sets of items (<see cref="ItemLayout"/>) the row features are standardized per column and the items per item
/// value (d statistics, shared by every item); rows may have any number of items, and a padding item (all d values
/// non-finite) stays NaN after standardization: that is how the encoder, and the stored training tensors, know which
/// items are absent.
/// <para>Each step writes its ONNX form next to its TorchSharp forward (<see cref="ExportOnnx"/>, the standardization
/// here, the bins in <see cref="PiecewiseLinearEncoder"/>, the encoders in <see cref="TaskEncoder"/>); the parity tests
/// hold the two to the same numbers.</para>
/// </remarks>
internal sealed class MultiTaskNetwork : nn.Module<Tensor, NetworkOutput>
{
    private readonly Tensor feature_mean;
    private readonly Tensor feature_scale;
    private readonly PiecewiseLinearEncoder? numeric;
    private readonly TaskEncoder encoder;
    private readonly GroupedMlp? towers;
    private readonly ModuleList<Linear> heads = new();
    private readonly ModuleList<GroupedLinear> member_heads = new();   // with an ensemble: per task, one head per member
    private readonly Parameter? member_scale;   // [m, D]: each ensemble member's multiplier of the encoder input

    /// <param name="tasks">The tasks, one head each.</param>
    /// <param name="featureCount">Values per training row.</param>
    /// <param name="inputScaling">The training features' mean and scale.</param>
    /// <param name="options">Network shape.</param>
    /// <param name="bins">The fitted bins when <see cref="NetworkOptions.UsesPiecewiseLinear"/>, else null.</param>
    public MultiTaskNetwork(IReadOnlyList<TaskSpec> tasks, int featureCount, Standardization inputScaling, NetworkOptions options,
        PiecewiseLinearBins? bins = null)
        : base(nameof(MultiTaskNetwork))
    {
        Tasks = tasks;
        Options = options;
        InputWidth = featureCount;
        Layout = ItemLayout.Of(options);
        if (Layout is not null && !Layout.Fits(featureCount))
            throw new ArgumentException($"The feature vector has {featureCount} values per row, not {Layout.Expected}.", nameof(featureCount));
        feature_mean = tensor(inputScaling.Mean);
        feature_scale = tensor(inputScaling.Scale);
        if (options.UsesPiecewiseLinear != (bins is not null))
            throw new ArgumentException("Piecewise-linear bins are needed exactly when the options use them.", nameof(bins));
        numeric = bins is null ? null : new PiecewiseLinearEncoder(nameof(numeric), bins);
        encoder = TaskEncoders.Create(numeric?.Width ?? featureCount, tasks.Count, options);
        Members = options.ResolvedEnsembleMembers();
        if (Members > 1)
            member_scale = nn.Parameter(MemberScaleStart(Members, bins, featureCount));
        int headInput = encoder.OutputWidth;
        if (options.TowerHiddenSizes.Count > 0)
        {
            towers = new GroupedMlp(nameof(towers), tasks.Count, headInput, options.TowerHiddenSizes, options.Activation, options.ResolvedDropout());
            headInput = towers.OutputWidth;
        }
        foreach (var task in tasks)
        {
            // TabM's k output layers: members that shared their heads would be pulled to one readout of the shared
            // representation, and differ far less than an ensemble's members should.
            if (Members > 1)
                member_heads.Add(new GroupedLinear($"head{member_heads.Count}", Members, headInput, task.HeadWidth));
            else
                heads.Add(nn.Linear(headInput, task.HeadWidth));
        }
        RegisterComponents();
    }

    /// <summary>
    /// TabM's start for the first adapter, so that the members differ from the first step: with bins, one N(0, 1) value
    /// per member and feature, shared by the feature's bins (a member weighs a feature, not one of its bins); on plain
    /// columns, a random sign per member and column.
    /// </summary>
    private static Tensor MemberScaleStart(int members, PiecewiseLinearBins? bins, int featureCount)
    {
        if (bins is null)
        {
            using var signs = randint(2, [members, featureCount]);
            return signs.to_type(ScalarType.Float32).mul_(ConstantScalars.Of(2)).sub_(ConstantScalars.One);
        }
        using var perFeature = randn(members, featureCount);
        using var source = tensor(bins.Source.Select(f => (long)f).ToArray());
        return perFeature.index_select(1, source);
    }

    public IReadOnlyList<TaskSpec> Tasks { get; }

    public NetworkOptions Options { get; }

    /// <summary>Values per training row (for sets: the longest training row, padded).</summary>
    public int InputWidth { get; }

    /// <summary>How a row is row features and items, when rows are sets of items; null for fixed-width rows.</summary>
    public ItemLayout? Layout { get; }

    /// <summary>The piecewise-linear encoding between standardization and the encoder, or null.</summary>
    public PiecewiseLinearEncoder? Numeric => numeric;

    public TaskEncoder Encoder => encoder;

    public GroupedMlp? Towers => towers;

    /// <summary>
    /// The parameters every task's loss reaches: the bin encoder's and the task encoder's (including any per-task part
    /// inside the encoder, such as gates or attention queries). The towers and heads are each one task's own.
    /// </summary>
    public IEnumerable<Parameter> SharedParameters() =>
        (numeric?.parameters() ?? []).Concat(member_scale is null ? [] : [member_scale]).Concat(encoder.parameters());

    /// <summary>
    /// New views of the weights that task <paramref name="task"/> alone uses: its head's, and its slice of every tower
    /// layer. Writing into a view writes the network's weights; the caller disposes the views (not the weights).
    /// Call under no_grad.
    /// </summary>
    public IReadOnlyList<Tensor> OwnWeights(int task)
    {
        var (weight, bias) = Head(task);
        var own = new List<Tensor> { weight.alias(), bias.alias() };
        if (towers is not null)
            own.AddRange(towers.parameters().Select(p => p.select(0, task)));
        return own;
    }

    /// <summary>
    /// Task <paramref name="task"/>'s output layer: its weight [width, in] and bias [width], or with an ensemble [m, in, width]
    /// and [m, 1, width] (the parameters themselves: not to be disposed).
    /// </summary>
    public (Tensor Weight, Tensor Bias) Head(int task) =>
        member_scale is null ? (heads[task].weight!, heads[task].bias!) : (member_heads[task].Weight, member_heads[task].Bias);

    /// <summary>Ensemble members (1: no ensemble).</summary>
    public int Members { get; }

    public override NetworkOutput forward(Tensor x) => ForwardStandardized(Standardize(x));

    /// <summary>
    /// (x − mean) / scale with non-finite values → 0, the training mean (as the exported graph does); robustly scaled
    /// inputs then clipped smoothly, z / √(1 + (z / 3)²).
    /// </summary>
    public Tensor Standardize(Tensor x)
    {
        if (Layout is { } layout)
            return StandardizeSet(x, layout);
        using var z = x.sub(feature_mean).div_(feature_scale);
        using var finite = z.isfinite();
        using var zero = zeros_like(z);
        var filled = where(finite, z, zero);
        if (Options.NumericEncoding != NumericEncoding.RobustScaled)
            return filled;
        using (filled)
        {
            using var third = filled.div(ConstantScalars.Of(SmoothClipBound));
            using var square = third.mul(third);
            using var root = square.add_(ConstantScalars.One).sqrt_();
            return filled.div(root);
        }
    }

    // RealMLP's smooth clipping: small values pass nearly unchanged, large ones approach ±3.
    private const double SmoothClipBound = 3;

    /// <summary>The ONNX form of <see cref="Standardize"/>: the float input [N, d] → z [N, d].</summary>
    private string StandardizeOnnx(OnnxNetworkWriter w, string input)
    {
        if (Layout is { } layout)
            return StandardizeSetOnnx(w, input, layout);
        var g = w.Graph;
        var centered = g.Node("Sub", [input, w.Constant("feature_mean", feature_mean)], "centered");
        var z = g.Node("Div", [centered, w.Constant("feature_scale", feature_scale)], "standardized");
        var bad = g.Node("Or", [g.Node("IsNaN", [z], "is_nan"), g.Node("IsInf", [z], "is_inf")], "not_finite");
        var filled = g.Node("Where", [bad, g.Constant("zero", [0f]), z], "z");
        if (Options.NumericEncoding != NumericEncoding.RobustScaled)
            return filled;
        var third = g.Node("Div", [filled, g.Constant("clip_bound", [(float)SmoothClipBound])], "clip_ratio");
        var root = g.Node("Sqrt", [g.Node("Add", [g.Node("Mul", [third, third], "clip_square"), g.Constant("one", [1f])], "clip_sum")], "clip_root");
        return g.Node("Div", [filled, root], "z_clipped");
    }

    /// <summary>
    /// [B, p + L·d] → the same shape: row features per column, items per item value, missing values → 0 and padding
    /// items (no finite value) → NaN.
    /// </summary>
    private Tensor StandardizeSet(Tensor x, ItemLayout layout)
    {
        using var scope = NewDisposeScope();
        int p = layout.RowFeatures, d = layout.ItemWidth;
        long rows = x.shape[0], items = layout.Items(x.shape[1]);
        var z = x.narrow(1, p, items * d).view(rows, items, d)
            .sub(feature_mean.narrow(0, p, d)).div_(feature_scale.narrow(0, p, d));          // [B, L, d] (L may be 0)
        var finite = z.isfinite();
        var padding = finite.any(-1, keepdim: true).logical_not();                            // [B, L, 1]
        var filled = where(finite, z, zeros_like(z));
        var standardized = where(padding, full_like(z, ConstantScalars.Of(double.NaN)), filled).view(rows, items * d);
        if (p > 0)
        {
            var row = x.narrow(1, 0, p).sub(feature_mean.narrow(0, 0, p)).div_(feature_scale.narrow(0, 0, p));
            standardized = cat([where(row.isfinite(), row, zeros_like(row)), standardized], 1);
        }
        return standardized.MoveToOuterDisposeScope();
    }

    /// <summary>The ONNX form of <see cref="StandardizeSet"/>, for rows of any number of items.</summary>
    private string StandardizeSetOnnx(OnnxNetworkWriter w, string input, ItemLayout layout)
    {
        var g = w.Graph;
        int p = layout.RowFeatures, d = layout.ItemWidth;
        var itemValues = p == 0 ? input
            : g.Node("Slice", [input, w.Int64s("raw_items_start", p), w.Int64s("raw_items_end", long.MaxValue), w.Int64s("raw_items_axis", 1)], "raw_item_values");
        var items = w.Node("Reshape", [itemValues, w.Int64s("raw_items_shape", 0, -1, d)], "raw_items");               // [N, L, d]
        var centered = g.Node("Sub", [items, w.Constant("item_mean", feature_mean.narrow(0, p, d))], "centered");
        var z = g.Node("Div", [centered, w.Constant("item_scale", feature_scale.narrow(0, p, d))], "standardized");
        var bad = g.Node("Or", [g.Node("IsNaN", [z], "is_nan"), g.Node("IsInf", [z], "is_inf")], "not_finite");
        var filled = g.Node("Where", [bad, g.Constant("zero", [0f]), z], "filled");
        // ReduceSum (axes as an input since opset 13) counts each item's finite values; none means padding.
        var finiteCount = g.Node("ReduceSum", [g.Node("Cast", [g.Node("Not", [bad], "finite")], "finite_float", OnnxAttr.Int("to", (long)OnnxElementType.Float)),
            w.Int64s("last_axis", -1)], "finite_count", OnnxAttr.Int("keepdims", 1));                                 // [N, L, 1]
        var padding = g.Node("Less", [finiteCount, g.Constant("half", [0.5f])], "padding");
        var marked = g.Node("Where", [padding, g.Constant("nan", [float.NaN]), filled], "marked");
        var standardizedItems = w.Node("Reshape", [marked, w.Int64s("rows_shape", 0, -1)], p == 0 ? "z" : "z_items");
        if (p == 0)
            return standardizedItems;
        var row = g.Node("Slice", [input, w.Int64s("raw_row_start", 0), w.Int64s("raw_row_end", p), w.Int64s("raw_row_axis", 1)], "raw_row_features");
        var rowZ = g.Node("Div", [g.Node("Sub", [row, w.Constant("row_mean", feature_mean.narrow(0, 0, p))], "row_centered"),
            w.Constant("row_scale", feature_scale.narrow(0, 0, p))], "row_standardized");
        var rowBad = g.Node("Or", [g.Node("IsNaN", [rowZ], "row_is_nan"), g.Node("IsInf", [rowZ], "row_is_inf")], "row_not_finite");
        var rowFilled = g.Node("Where", [rowBad, g.Constant("zero", [0f]), rowZ], "row_filled");
        return g.Node("Concat", [rowFilled, standardizedItems], "z", OnnxAttr.Int("axis", 1));
    }

    /// <summary>
    /// The network after standardization (training standardizes its data once, up front). The bins are computed per
    /// batch rather than stored: stored, they would multiply the training tensors' memory by up to NumericBins.
    /// </summary>
    /// <remarks>
    /// With an ensemble, training sees every member's output (m·B rows, member by member, so each member's loss is its
    /// own) and eval mode their mean, as prediction and validation use it.
    /// </remarks>
    public NetworkOutput ForwardStandardized(Tensor z)
    {
        var encoded = numeric is null ? z : numeric.forward(z);                                 // [B, D]
        long rows = encoded.shape[0];
        if (member_scale is not null)
            encoded = encoded.unsqueeze(0).mul(member_scale.unsqueeze(1)).view(-1, encoded.shape[1]);   // [m·B, D]
        var (perTask, weights) = encoder.forward(encoded);                // [T, B, u], [B, T, W]
        if (towers is not null)
            perTask = towers.forward(perTask);                              // [T, B, t]
        var outputs = new Tensor[Tasks.Count];
        if (member_scale is null)
        {
            for (int k = 0; k < Tasks.Count; k++)
                outputs[k] = heads[k].forward(perTask[k]);
            return new NetworkOutput(outputs, weights);
        }
        for (int k = 0; k < Tasks.Count; k++)
        {
            using var byMember = perTask[k].view(Members, rows, -1);                             // [m, B, t]
            using var output = member_heads[k].forward(byMember);                                // [m, B, w]
            outputs[k] = output.view(Members * rows, -1);
        }
        if (training)
            return new NetworkOutput(outputs, weights, Members);
        for (int k = 0; k < Tasks.Count; k++)
            outputs[k] = TaskHeads.For(Tasks[k]).MeanOfMembers(outputs[k].view(Members, rows, -1));
        return new NetworkOutput(outputs, weights.view(Members, rows, weights.shape[1], weights.shape[2]).mean([0]));
    }

    /// <summary>
    /// Writes the same computation as <see cref="forward"/> in eval mode (dropout is the identity there and is not
    /// exported): the float input [N, d] → each task's head output [N, 1|K] and the weights [N, T, W].
    /// </summary>
    public (IReadOnlyList<string> Heads, string Weights) ExportOnnx(OnnxNetworkWriter w, string input)
    {
        var g = w.Graph;
        var z = StandardizeOnnx(w, input);
        var encoded = numeric is null ? z : numeric.ExportOnnx(w, z);                                           // [N, D]
        if (member_scale is not null)
        {
            using var scale = member_scale.detach().unsqueeze(1);
            var scaled = g.Node("Mul", [w.Node("Unsqueeze", [encoded, w.Int64s("axis0", 0)], "member_input"), w.Constant("member_scale", scale)], "member_scaled");
            encoded = w.Node("Reshape", [scaled, w.Int64s("member_rows_shape", -1, member_scale.shape[1])], "member_rows");   // [m·N, D]
        }
        var (perTask, weights) = encoder.ExportOnnx(w, encoded);                                                // [T, N, u], [N, T, W]
        if (towers is not null)
            perTask = towers.ExportOnnx(w, perTask, "tower");                                              // [T, N, t]
        var outputs = new string[Tasks.Count];
        int perTaskWidth = towers?.OutputWidth ?? encoder.OutputWidth;
        for (int k = 0; k < Tasks.Count; k++)
        {
            string p = OnnxNetworkWriter.Prefix(Tasks[k].Name);
            var representation = g.Node("Gather", [perTask, g.Constant($"{p}_index", [(long)k])], $"{p}_representation", OnnxAttr.Int("axis", 0));
            if (member_scale is null)
            {
                using var weightT = heads[k].weight!.t();
                var product = g.Node("MatMul", [representation, w.Constant($"{p}_head_weight_t", weightT)], $"{p}_head_matmul");
                outputs[k] = g.Node("Add", [product, w.Constant($"{p}_head_bias", heads[k].bias!)], $"{p}_head");    // [N, 1|K]
                continue;
            }
            var byMember = w.Node("Reshape", [representation, w.Int64s($"{p}_member_rows_shape", Members, -1, perTaskWidth)], $"{p}_member_representation");
            var memberHeads = member_heads[k].ExportOnnx(w, byMember, $"{p}_member_head");                         // [m, N, 1|K]
            outputs[k] = MeanOfMembersOnnx(w, memberHeads, k, p);
        }
        if (member_scale is not null)
        {
            var byMember = w.Node("Reshape", [weights, w.Int64s("member_weights_shape", Members, -1, Tasks.Count, encoder.AttentionWidth)], "member_weights");
            weights = g.Node("Mul", [g.Node("ReduceSum", [byMember, w.Int64s("member_axis", 0)], "member_weights_sum", OnnxAttr.Int("keepdims", 0)),
                g.Constant("one_over_members", [1f / Members])], "weights_member_mean");
        }
        return (outputs, weights);
    }

    /// <summary>A head output [m·N, w] → the members' mean readout [N, w] (<see cref="TaskHead.MeanOfMembers"/>).</summary>
    private string MeanOfMembersOnnx(OnnxNetworkWriter w, string head, int k, string p)
    {
        var kind = TaskHeads.For(Tasks[k]);
        var g = w.Graph;
        var byMember = w.Node("Reshape", [head, w.Int64s($"{p}_member_head_shape", Members, -1, kind.Width(Tasks[k]))], $"{p}_member_heads");
        var members = Enumerable.Range(0, Members)
            .Select(i => g.Node("Gather", [byMember, g.Constant($"{p}_member{i}_index", [(long)i])], $"{p}_member{i}_head", OnnxAttr.Int("axis", 0)))
            .ToArray();
        return kind.MeanOfMembersOnnx(g, members, p);
    }
}
