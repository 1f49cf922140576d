using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mta.Models.Architectures;

/// <summary>
/// MMoE (Ma et al., KDD 2018): task k's weights over experts come from the input, w_k = softmax(W_k x + b_k).
/// All tasks' gates are one linear layer of width T·E.
/// </summary>
internal sealed class GatedMixer : TaskMixer
{
    private readonly Linear gates;
    private readonly int _taskCount;
    private readonly int _expertCount;

    public GatedMixer(int inputWidth, int taskCount, int expertCount) : base(nameof(GatedMixer))
    {
        _taskCount = taskCount;
        _expertCount = expertCount;
        gates = nn.Linear(inputWidth, taskCount * expertCount);
        RegisterComponents();
    }

    /// <summary>Gate weight [T·E, d] and bias [T·E] (row t·E + e: task t, expert e).</summary>
    public (Tensor Weight, Tensor Bias) Gates => (gates.weight!, gates.bias!);

    public override (Tensor Mixed, Tensor Weights) forward(Tensor x, Tensor h)
    {
        using var logits = gates.forward(x).view(-1, _taskCount, _expertCount);
        var weights = logits.softmax(-1);
        return (weights.matmul(h), weights);
    }
}
