using Mta.Models.Data;
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

    public Tensor Source => source;

    public Tensor Lower => lower;

    public Tensor InverseWidth => inverse_width;

    public Tensor Floor => floor;

    public Tensor Ceiling => ceiling;

    public Tensor Mean => mean;

    public Tensor InverseScale => inverse_scale;

    public override Tensor forward(Tensor z)
    {
        using var gathered = z.index_select(1, source);
        using var scaled = gathered.sub(lower).mul_(inverse_width);
        using var floored = scaled.maximum(floor);
        var binned = floored.minimum(ceiling);
        return binned.sub_(mean).mul_(inverse_scale);
    }
}
