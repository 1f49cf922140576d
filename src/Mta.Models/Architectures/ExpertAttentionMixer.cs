using Mta.Models.Options;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mta.Models.Architectures;

/// <summary>
/// The seed's attention: task k scores each expert output with its own query v_k, w_k = f(H v_k), and mixes
/// them, o_k = Σ_i w_ki h_i. All tasks at once: scores = H V with V = [v_1 .. v_T] of shape [u, T].
/// </summary>
internal sealed class ExpertAttentionMixer : TaskMixer
{
    private readonly Parameter queries;
    private readonly AttentionFunction _function;

    public ExpertAttentionMixer(int expertWidth, int taskCount, AttentionFunction function) : base(nameof(ExpertAttentionMixer))
    {
        _function = function;
        // Small queries start every task near a uniform mix, so no expert is starved early on.
        queries = new Parameter(randn(expertWidth, taskCount).mul_(0.1 / Math.Sqrt(expertWidth)));
        RegisterComponents();
    }

    /// <summary>V: [u, T], one query per task.</summary>
    public Tensor Queries => queries;

    public AttentionFunction Function => _function;

    public override (Tensor Mixed, Tensor Weights) forward(Tensor x, Tensor h)
    {
        using var scores = h.matmul(queries).transpose(1, 2); // [B, T, E]
        var weights = _function == AttentionFunction.Softmax ? scores.softmax(-1) : scores.sigmoid();
        return (weights.matmul(h), weights);
    }
}
