using Mta.Models.Data;
using Mta.Models.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace Mta.Models.Modules;

/// <summary>
/// Standardized features [B, d] → piecewise-linear bin values [B, W] (<see cref="PiecewiseLinearBins"/>): one gather
/// and six element-wise ops, the same in TorchSharp and in the exported graph.
/// </summary>
internal sealed class PiecewiseLinearEncoder : nn.Module<Tensor, Tensor>
{
    private readonly Tensor source;
    private readonly Tensor lower;
    private readonly Tensor inverse_width;
    private readonly Tensor floor;
    private readonly Tensor ceiling;
    private readonly Tensor mean;
    private readonly Tensor inverse_scale;

    public PiecewiseLinearEncoder(string name, PiecewiseLinearBins bins) : base(name)
    {
        source = tensor(bins.Source.Select(s => (long)s).ToArray());
        lower = tensor(bins.Lower);
        inverse_width = tensor(bins.InverseWidth);
        floor = tensor(bins.Floor);
        ceiling = tensor(bins.Ceiling);
        mean = tensor(bins.Mean);
        inverse_scale = tensor(bins.InverseScale);
        Width = bins.Width;
        RegisterComponents();
    }

    /// <summary>Output values per row.</summary>
    public int Width { get; }

    public override Tensor forward(Tensor z)
    {
        using var gathered = z.index_select(1, source);
        using var scaled = gathered.sub(lower).mul_(inverse_width);
        using var floored = scaled.maximum(floor);
        var binned = floored.minimum(ceiling);
        return binned.sub_(mean).mul_(inverse_scale);
    }

    /// <summary>Writes the same computation as <see cref="forward"/>: z [N, d] → [N, W].</summary>
    public string ExportOnnx(OnnxNetworkWriter w, string z)
    {
        var g = w.Graph;
        var gathered = g.Node("Gather", [z, w.Int64s("bin_source", source.data<long>().ToArray())], "bin_inputs", OnnxAttr.Int("axis", 1));
        var shifted = g.Node("Sub", [gathered, w.Constant("bin_lower", lower)], "bin_shifted");
        var scaled = g.Node("Mul", [shifted, w.Constant("bin_inverse_width", inverse_width)], "bin_scaled");
        var floored = g.Node("Max", [scaled, w.Constant("bin_floor", floor)], "bin_floored");
        var binned = g.Node("Min", [floored, w.Constant("bin_ceiling", ceiling)], "binned");
        var centered = g.Node("Sub", [binned, w.Constant("bin_mean", mean)], "bin_centered");
        return g.Node("Mul", [centered, w.Constant("bin_inverse_scale", inverse_scale)], "bin_standardized");
    }
}
