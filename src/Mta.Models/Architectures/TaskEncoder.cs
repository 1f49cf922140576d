using Mta.Models.Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mta.Models.Architectures;

/// <summary>
/// Turns the standardized input into one representation per task, and says how each task weighed its sources:
/// the part that distinguishes the architectures. Everything around it (standardization, towers, heads, losses,
/// loss weighting, trainer) is shared, so any architecture works with any loss weighting.
/// </summary>
/// <remarks>
/// Each encoder writes its own ONNX form next to its TorchSharp forward, so the two can be read side by side;
/// the parity tests hold them to the same numbers.
/// </remarks>
internal abstract class TaskEncoder : nn.Module<Tensor, TaskEncoding>
{
    protected TaskEncoder(string name) : base(name) { }

    /// <summary>Width u of each task's representation.</summary>
    public abstract int OutputWidth { get; }

    /// <summary>Width W of each task's weights (the <c>{task}.Attention</c> output): experts, or mask units.</summary>
    public abstract int AttentionWidth { get; }

    /// <summary>The last layer that every task's loss reaches (GradNorm measures per-task gradient norms here).</summary>
    public abstract IReadOnlyList<Parameter> LastSharedLayer { get; }

    /// <summary>Names of the sources tasks weigh, across the network (for reports). Default: "expert 1" .. "expert W".</summary>
    public virtual IReadOnlyList<string> SourceNames(IReadOnlyList<string> tasks) =>
        Enumerable.Range(1, AttentionWidth).Select(i => $"expert {i}").ToArray();

    /// <summary>For task <paramref name="task"/>, the source (index into <see cref="SourceNames"/>) of each weight slot. Default: slot i is source i.</summary>
    public virtual IReadOnlyList<int> SourceIndex(int task) => Enumerable.Range(0, AttentionWidth).ToArray();

    /// <summary>Writes the same computation as <c>forward</c>; <paramref name="z"/> is the standardized input [N, d].</summary>
    /// <returns>Per-task representations [T, N, u] and weights [N, T, W].</returns>
    public abstract (string PerTask, string Weights) ExportOnnx(OnnxNetworkWriter w, string z);
}

/// <summary>An encoder's output for a batch.</summary>
/// <param name="PerTask">[T, B, u]: task k's representation in row k.</param>
/// <param name="Weights">[B, T, W]: how each task weighed its sources (attention over experts, gates, or masks).</param>
internal readonly record struct TaskEncoding(Tensor PerTask, Tensor Weights);
