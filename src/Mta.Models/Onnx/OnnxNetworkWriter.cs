using Mta.Models.Modules;
using Mta.Models.Options;
using static TorchSharp.torch;

namespace Mta.Models.Onnx;

/// <summary>
/// Writes the network's building blocks (trained tensors as constants, grouped MLPs, activations) into an
/// <see cref="OnnxGraphBuilder"/>, so each architecture's export reads like its TorchSharp forward.
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

    /// <summary>x: [G|1, N, in] → [G, N, out], activation after every layer (as <see cref="GroupedMlp.forward"/>).</summary>
    public string GroupedMlp(GroupedMlp mlp, string x, string prefix)
    {
        int l = 0;
        foreach (var (weight, bias) in mlp.Layers)
        {
            var product = Node("MatMul", [x, Constant($"{prefix}{l}_weight", weight)], $"{prefix}{l}_matmul");
            x = Activate(Node("Add", [product, Constant($"{prefix}{l}_bias", bias)], $"{prefix}{l}_linear"), mlp.Activation, $"{prefix}{l}");
            l++;
        }
        return x;
    }

    /// <summary>x: [G|1, N, in] → [G, N, out] (as <see cref="GroupedLinear.forward"/>).</summary>
    public string GroupedLinear(GroupedLinear linear, string x, string prefix)
    {
        var product = Node("MatMul", [x, Constant($"{prefix}_weight", linear.Weight)], $"{prefix}_matmul");
        return Node("Add", [product, Constant($"{prefix}_bias", linear.Bias)], $"{prefix}_linear");
    }

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
