using Mta.Models.Modules;
using Mta.Models.Onnx;
using Mta.Models.Options;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mta.Models.Architectures.DSelectK;

/// <summary>
/// DSelect-k (Hazimeh et al., NeurIPS 2021): E shared experts, as in MMoE, mixed for each task by k
/// <see cref="SingleExpertSelector"/>s and a softmax over those selectors, w_k = Σ_s softmax(α_k)_s r_ks. Where an MMoE
/// gate spreads weight over every expert, each selector here learns to settle on one, so a task ends up with at most
/// k experts, reached by a smooth gate that trains with ordinary gradient steps.
/// </summary>
/// <remarks>
/// The per-example variant of the paper: the code values z_ks and the selector logits α_ks are linear in the
/// input, as an MMoE gate is (all tasks' codes in one linear layer of width T·k·ℓ, all logits in one of width T·k).
/// The paper's entropy regularizer, which pushes selectors to settle sooner, is left out: the smooth-step alone
/// reaches exact 0/1 weights, and a regularizer would be the one loss term outside the per-task losses.
/// The task's weights output is w_k, over the E experts.
/// </remarks>
internal sealed class DSelectKEncoder : TaskEncoder
{
    private readonly GroupedMlp experts;
    private readonly Linear selector_codes;
    private readonly Linear selector_logits;
    private readonly SingleExpertSelector selector;
    private readonly int _taskCount;
    private readonly int _expertCount;
    private readonly int _selectors;

    public DSelectKEncoder(int featureCount, int taskCount, NetworkOptions options) : base(nameof(DSelectKEncoder))
    {
        if (options.DSelectK.SelectedExperts > options.ExpertCount)
            throw new ArgumentOutOfRangeException(nameof(options), options.DSelectK.SelectedExperts, "Architecture.DSelectK needs DSelectK.SelectedExperts ≤ ExpertCount.");
        _taskCount = taskCount;
        _expertCount = options.ExpertCount;
        _selectors = options.DSelectK.SelectedExperts;
        experts = new GroupedMlp(nameof(experts), options.ExpertCount, featureCount, options.ExpertHiddenSizes, options.Activation, options.ResolvedDropout());
        selector = new SingleExpertSelector(nameof(selector), options.ExpertCount, options.DSelectK.SmoothStepGamma);
        selector_codes = nn.Linear(featureCount, taskCount * _selectors * selector.CodeBits);
        selector_logits = nn.Linear(featureCount, taskCount * _selectors);
        RegisterComponents();
    }

    public override int OutputWidth => experts.OutputWidth;

    public override int AttentionWidth => _expertCount;

    public override IReadOnlyList<Parameter> LastSharedLayer => [experts.LastWeight];

    public override TaskEncoding forward(Tensor z)
    {
        var h = experts.ForwardShared(z);                                  // [B, E, u]
        using var codes = selector_codes.forward(z).view(-1, _taskCount, _selectors, selector.CodeBits);
        using var perSelector = selector.forward(codes);                                          // [B, T, k, E]
        using var logits = selector_logits.forward(z).view(-1, _taskCount, 1, _selectors);
        using var mix = logits.softmax(-1);                                                       // [B, T, 1, k]
        var weights = mix.matmul(perSelector).squeeze(-2);                                        // [B, T, E]
        return new(weights.matmul(h).transpose(0, 1), weights);
    }

    public override (string PerTask, string Weights) ExportOnnx(OnnxNetworkWriter w, string z)
    {
        var h = experts.ExportSharedOnnx(w, z, "expert");                 // [N, E, u]
        var codes = Linear(w, selector_codes, z, "selector_codes", _taskCount, _selectors, selector.CodeBits);
        var perSelector = selector.ExportOnnx(w, codes, "selector");                                               // [N, T, k, E]
        var logits = Linear(w, selector_logits, z, "selector_logits", _taskCount, 1, _selectors);
        var mix = w.Node("Softmax", [logits], "selector_mix", OnnxAttr.Int("axis", -1));                        // [N, T, 1, k]
        var weights = w.Node("Squeeze", [w.Node("MatMul", [mix, perSelector], "selected"), w.Int64s("axis_minus2", -2)], "expert_weights");
        var mixed = w.Node("MatMul", [weights, h], "mixed");                                                        // [N, T, u]
        return (w.SwapFirstAxes(mixed, "per_task"), weights);
    }

    /// <summary>x W^T + b for an nn.Linear, reshaped to [N, <paramref name="shape"/>].</summary>
    private static string Linear(OnnxNetworkWriter w, Linear linear, string x, string prefix, params long[] shape)
    {
        using var weightT = linear.weight!.t();
        var y = w.Node("MatMul", [x, w.Constant($"{prefix}_weight_t", weightT)], $"{prefix}_matmul");
        y = w.Node("Add", [y, w.Constant($"{prefix}_bias", linear.bias!)], $"{prefix}_linear");
        return w.Node("Reshape", [y, w.Int64s($"{prefix}_shape", [-1L, .. shape])], $"{prefix}_by_task");
    }
}
