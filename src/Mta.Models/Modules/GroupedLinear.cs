using Mta.Models.Onnx;
using Mta.Models.TorchSharpFixes;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mta.Models.Modules;

/// <summary>
/// G independent linear maps evaluated as one batched product: weight [G, in, out], bias [G, 1, out].
/// Used where each task (or each gate) needs its own small linear layer over its own or a shared input.
/// </summary>
internal sealed class GroupedLinear : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;

    public GroupedLinear(string name, int groups, int inputWidth, int outputWidth, double initScale = 1.0) : base(name)
    {
        // PyTorch's nn.Linear default U(-1/sqrt(fan_in), 1/sqrt(fan_in)), optionally shrunk so gates start near uniform.
        double bound = initScale / Math.Sqrt(inputWidth);
        weight = new Parameter(empty(groups, inputWidth, outputWidth).uniform_(-bound, bound));
        bias = new Parameter(empty(groups, 1, outputWidth).uniform_(-bound, bound));
        RegisterComponents();
    }

    public Parameter Weight => weight;

    public Tensor Bias => bias;

    /// <summary>x: [G, B, in] or [1, B, in] (one input shared by all groups) → [G, B, out].</summary>
    public override Tensor forward(Tensor x) => x.matmul(weight).add_(bias, ConstantScalars.One);

    /// <summary>The ONNX form of <see cref="forward"/>: x [G|1, N, in] → [G, N, out].</summary>
    public string ExportOnnx(OnnxNetworkWriter w, string x, string prefix)
    {
        var product = w.Node("MatMul", [x, w.Constant($"{prefix}_weight", weight)], $"{prefix}_matmul");
        return w.Node("Add", [product, w.Constant($"{prefix}_bias", bias)], $"{prefix}_linear");
    }
}
