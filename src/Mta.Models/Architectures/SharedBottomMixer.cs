using TorchSharp;
using static TorchSharp.torch;

namespace Mta.Models.Architectures;

/// <summary>Shared-bottom: the single shared MLP's output goes to every task unchanged (weight 1).</summary>
internal sealed class SharedBottomMixer : TaskMixer
{
    private readonly int _taskCount;

    public SharedBottomMixer(int taskCount) : base(nameof(SharedBottomMixer))
    {
        _taskCount = taskCount;
    }

    public override (Tensor Mixed, Tensor Weights) forward(Tensor x, Tensor h)
    {
        long batch = h.shape[0];
        var mixed = h.expand(batch, _taskCount, h.shape[2]);
        var weights = ones(batch, _taskCount, 1, dtype: h.dtype, device: h.device);
        return (mixed, weights);
    }
}
