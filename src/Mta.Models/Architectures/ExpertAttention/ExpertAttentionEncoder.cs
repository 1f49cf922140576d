using Mta.Models.Modules;
using Mta.Models.Onnx;
using Mta.Models.Options;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mta.Models.Architectures.ExpertAttention;

/// <summary>
/// The seed's global attention: shared experts H = [h_1 .. h_E]; task k scores each expert output with its own
/// query v_k, w_k = f(H v_k) (softmax or sigmoid), and mixes them, o_k = Σ_i w_ki h_i. All tasks at once:
/// scores = H V with V = [v_1 .. v_T] of shape [u, T].
/// </summary>
internal sealed class ExpertAttentionEncoder : TaskEncoder
{
    private readonly GroupedMlp experts;
    private readonly Parameter queries;
    private readonly AttentionFunction _function;
    private readonly int _expertCount;

    public ExpertAttentionEncoder(int featureCount, int taskCount, NetworkOptions options) : base(nameof(ExpertAttentionEncoder))
    {
        _function = options.AttentionFunction;
        _expertCount = options.ExpertCount;
        experts = new GroupedMlp(nameof(experts), options.ExpertCount, featureCount, options.ExpertHiddenSizes, options.Activation, options.ResolvedDropout());
        // Queries at a linear layer's scale (std 1/√u): tasks start with different, input-dependent mixes, as MMoE's
        // randomly initialized gates do. Much smaller queries keep every task near the same uniform mix, i.e. a shared
        // bottom squeezed through one u-wide average, which learns less correlated tasks worse (measured by the MMoE
        // synthetic experiment of tests/Mta.QualityBenchmark, and on real data in docs/notes/quality.md).
        using var queryScale = (1.0 / Math.Sqrt(experts.OutputWidth)).ToScalar();   // disposed, not left to a finalizer
        queries = new Parameter(randn(experts.OutputWidth, taskCount).mul_(queryScale));
        RegisterComponents();
    }

    public override int OutputWidth => experts.OutputWidth;

    public override int AttentionWidth => _expertCount;

    public override IReadOnlyList<Parameter> LastSharedLayer => [experts.LastWeight];

    public override TaskEncoding forward(Tensor z)
    {
        var h = experts.ForwardShared(z);          // [B, E, u]
        using var scores = h.matmul(queries).transpose(1, 2);               // [B, T, E]
        var weights = _function == AttentionFunction.Softmax ? scores.softmax(-1) : scores.sigmoid();
        return new(weights.matmul(h).transpose(0, 1), weights);            // [T, B, u], [B, T, E]
    }

    public override (string PerTask, string Weights) ExportOnnx(OnnxNetworkWriter w, string z)
    {
        var h = experts.ExportSharedOnnx(w, z, "expert");                  // [N, E, u]
        var scores = w.Node("MatMul", [h, w.Constant("task_queries", queries)], "expert_scores");                  // [N, E, T]
        scores = w.Node("Transpose", [scores], "task_scores", OnnxAttr.Ints("perm", 0, 2, 1));                      // [N, T, E]
        var weights = _function == AttentionFunction.Softmax
            ? w.Node("Softmax", [scores], "attention", OnnxAttr.Int("axis", -1))
            : w.Node("Sigmoid", [scores], "attention");
        var mixed = w.Node("MatMul", [weights, h], "mixed");                                                        // [N, T, u]
        return (w.SwapFirstAxes(mixed, "per_task"), weights);
    }
}
