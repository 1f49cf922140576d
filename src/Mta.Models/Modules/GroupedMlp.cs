using Mta.Models.Onnx;
using Mta.Models.Options;
using Mta.Models.TorchSharpFixes;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mta.Models.Modules;

/// <summary>
/// G independent MLPs of the same shape evaluated together: layer l holds weights [G, in, out] and biases
/// [G, 1, out], so all groups run in one batched matrix product per layer instead of G small ones.
/// Used for the shared experts (G = E, all reading the same input) and the task towers (G = T).
/// </summary>
internal sealed class GroupedMlp : nn.Module<Tensor, Tensor>
{
    private readonly ParameterList _weights = new();
    private readonly ParameterList _biases = new();
    private readonly Activation _activation;
    private readonly double _dropout;

    public GroupedMlp(string name, int groups, int inputWidth, IReadOnlyList<int> widths, Activation activation, double dropout)
        : base(name)
    {
        _activation = activation;
        _dropout = dropout;
        int fanIn = inputWidth;
        foreach (int width in widths)
        {
            // PyTorch's nn.Linear default: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases.
            double bound = 1.0 / Math.Sqrt(fanIn);
            _weights.Add(new Parameter(empty(groups, fanIn, width).uniform_(-bound, bound)));
            _biases.Add(new Parameter(empty(groups, 1, width).uniform_(-bound, bound)));
            fanIn = width;
        }
        OutputWidth = fanIn;
        RegisterComponents();
    }

    /// <summary>Width of each group's output.</summary>
    public int OutputWidth { get; }

    /// <summary>The activation after every layer.</summary>
    public Activation Activation => _activation;

    /// <summary>The last layer's weight [G, in, out] as a parameter (GradNorm's reference layer).</summary>
    public Parameter LastWeight => _weights[^1];


    /// <summary>x: [G, B, in] or [1, B, in] (one input shared by all groups) → [G, B, out].</summary>
    public override Tensor forward(Tensor x)
    {
        for (int l = 0; l < _weights.Count; l++)
        {
            x = Activations.Apply(x.matmul(_weights[l]).add_(_biases[l], ConstantScalars.One), _activation);
            if (_dropout > 0)
                x = nn.functional.dropout(x, _dropout, training);
        }
        return x;
    }

    /// <summary>The groups as shared experts, all reading the same rows: z [B, in] → [B, G, out].</summary>
    public Tensor ForwardShared(Tensor z)
    {
        using var shared = z.unsqueeze(0);
        using var grouped = forward(shared);
        return grouped.transpose(0, 1);
    }

    /// <summary>The ONNX form of <see cref="ForwardShared"/>: z [N, in] → [N, G, out] (values named <paramref name="prefix"/>…).</summary>
    public string ExportSharedOnnx(OnnxNetworkWriter w, string z, string prefix) =>
        w.SwapFirstAxes(ExportOnnx(w, w.AsSharedGroup(z), prefix), prefix + "s");

    /// <summary>The ONNX form of <see cref="forward"/> (dropout is the identity there): x [G|1, N, in] → [G, N, out].</summary>
    public string ExportOnnx(OnnxNetworkWriter w, string x, string prefix)
    {
        for (int l = 0; l < _weights.Count; l++)
        {
            var product = w.Node("MatMul", [x, w.Constant($"{prefix}{l}_weight", _weights[l])], $"{prefix}{l}_matmul");
            x = w.Activate(w.Node("Add", [product, w.Constant($"{prefix}{l}_bias", _biases[l])], $"{prefix}{l}_linear"), _activation, $"{prefix}{l}");
        }
        return x;
    }
}
