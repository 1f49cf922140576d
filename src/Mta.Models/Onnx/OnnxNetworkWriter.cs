using Mta.Models.Modules;
using Mta.Models.Options;
using static TorchSharp.torch;

namespace Mta.Models.Onnx;

/// <summary>
/// Writes the network's building blocks (trained tensors as constants, activations, axis moves) into an
/// <see cref="OnnxGraphBuilder"/>, so each module's export (<c>GroupedMlp.ExportOnnx</c>, each architecture's) reads
/// like its TorchSharp forward.
/// </summary>
internal sealed class OnnxNetworkWriter(OnnxGraphBuilder graph, int taskCount)
{
    public OnnxGraphBuilder Graph { get; } = graph;

    /// <summary>Number of tasks T.</summary>
    public int TaskCount { get; } = taskCount;

    /// <summary>Shorthand for <see cref="OnnxGraphBuilder.Node(string, IReadOnlyList{string}, string, OnnxAttr[])"/>.</summary>
    public string Node(string op, IReadOnlyList<string> inputs, string hint, params OnnxAttr[] attributes) =>
        Graph.Node(op, inputs, hint, attributes);

    /// <summary>A trained tensor as a float initializer of the same shape.</summary>
    public string Constant(string hint, Tensor t)
    {
        using var detached = t.detach();   // named, so it stays reachable through the native call (see ConstantScalars)
        using var c = detached.contiguous();
        return Graph.Constant(hint, c.data<float>().ToArray(), c.shape);
    }

    /// <summary>An int64 initializer (axes, shapes, indices).</summary>
    public string Int64s(string hint, params long[] values) => Graph.Constant(hint, values, values.Length);

    public string Activate(string x, Activation activation, string prefix) => activation switch
    {
        Activation.Relu => Node("Relu", [x], $"{prefix}_relu"),
        Activation.Tanh => Node("Tanh", [x], $"{prefix}_tanh"),
        Activation.Silu => Node("Mul", [x, Node("Sigmoid", [x], $"{prefix}_gate")], $"{prefix}_silu"),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation."),
    };

    /// <summary>Swaps the first two axes of a rank-3 tensor ([G, N, u] ↔ [N, G, u]).</summary>
    public string SwapFirstAxes(string x, string hint) => Node("Transpose", [x], hint, OnnxAttr.Ints("perm", 1, 0, 2));

    /// <summary>A task name made a prefix of value names (letters and digits kept, anything else '_').</summary>
    public static string Prefix(string taskName) => new(taskName.Select(ch => char.IsLetterOrDigit(ch) ? ch : '_').ToArray());

    /// <summary>[1, N, d]: the input as one group shared by every expert.</summary>
    public string AsSharedGroup(string z) => Node("Unsqueeze", [z, Int64s("axis0", 0)], "shared_group");
}
