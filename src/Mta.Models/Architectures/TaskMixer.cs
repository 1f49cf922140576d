using TorchSharp;
using static TorchSharp.torch;

namespace Mta.Models.Architectures;

/// <summary>
/// Forms each task's representation from the shared expert outputs: the part that distinguishes the
/// architectures. Everything around it (experts, towers, heads, losses, weighting, trainer) is shared.
/// </summary>
internal abstract class TaskMixer : nn.Module<Tensor, Tensor, (Tensor Mixed, Tensor Weights)>
{
    protected TaskMixer(string name) : base(name) { }

    // forward(x [B, d] standardized input, h [B, E, u] expert outputs)
    //   → Mixed [B, T, u] per-task representations, Weights [B, T, E] per-task weights over experts.
}
