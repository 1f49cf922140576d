using Mta.Models.Modules;
using Mta.Models.Onnx;
using Mta.Models.Options;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mta.Models.Architectures.MixtureOfExperts;

/// <summary>
/// MMoE (Ma et al., KDD 2018): shared experts mixed by gates computed from the input, w_k = softmax(W_k x + b_k).
/// All tasks' gates are one linear layer of width T·E.
/// </summary>
internal sealed class MixtureOfExpertsEncoder : TaskEncoder
{
    private readonly GroupedMlp experts;
    private readonly Linear gates;
    private readonly int _taskCount;
    private readonly int _expertCount;

    public MixtureOfExpertsEncoder(int featureCount, int taskCount, NetworkOptions options) : base(nameof(MixtureOfExpertsEncoder))
    {
        _taskCount = taskCount;
        _expertCount = options.ExpertCount;
        experts = new GroupedMlp(nameof(experts), options.ExpertCount, featureCount, options.ExpertHiddenSizes, options.Activation, options.ResolvedDropout());
        gates = nn.Linear(featureCount, taskCount * options.ExpertCount);
        RegisterComponents();
    }

    public override int OutputWidth => experts.OutputWidth;

    public override int AttentionWidth => _expertCount;

    public override IReadOnlyList<Parameter> LastSharedLayer => [experts.LastWeight];

    public override TaskEncoding forward(Tensor z)
    {
        var h = experts.ForwardShared(z);                  // [B, E, u]
        using var logits = gates.forward(z).view(-1, _taskCount, _expertCount);
        var weights = logits.softmax(-1);                                           // [B, T, E]
        return new(weights.matmul(h).transpose(0, 1), weights);
    }

    public override (string PerTask, string Weights) ExportOnnx(OnnxNetworkWriter w, string z)
    {
        var h = experts.ExportSharedOnnx(w, z, "expert");                  // [N, E, u]
        using var weightT = gates.weight!.t();
        var logits = w.Node("MatMul", [z, w.Constant("gate_weight_t", weightT)], "gate_matmul");
        logits = w.Node("Add", [logits, w.Constant("gate_bias", gates.bias!)], "gate_logits");
        logits = w.Node("Reshape", [logits, w.Int64s("gate_shape", -1L, _taskCount, _expertCount)], "gate_logits_3d");
        var weights = w.Node("Softmax", [logits], "gates", OnnxAttr.Int("axis", -1));
        var mixed = w.Node("MatMul", [weights, h], "mixed");                                                        // [N, T, u]
        return (w.SwapFirstAxes(mixed, "per_task"), weights);
    }
}
