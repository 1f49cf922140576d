using Mta.Models.TorchSharpFixes;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mta.Models.Weighting;

/// <summary>
/// Homoscedastic uncertainty weighting (Kendall, Gal and Cipolla, CVPR 2018): L = Σ_k L_k / (2·exp(s_k)) + s_k / 2
/// with s_k = log σ_k² learned with the network. A task whose loss stays large (noisy, or on a larger scale) is
/// given a larger σ_k and so a smaller weight 1 / (2·exp(s_k)); the s_k / 2 term keeps σ from growing without bound.
/// </summary>
internal sealed class UncertaintyLossWeighting : ILossWeighting
{
    private readonly Parameter _logVariance;

    public UncertaintyLossWeighting(int taskCount)
    {
        _logVariance = new Parameter(zeros(taskCount));
    }

    public IReadOnlyList<double> Weights
    {
        get
        {
            using var noGrad = no_grad();
            using var w = _logVariance.neg().exp().mul(ConstantScalars.Of(0.5));
            return w.data<float>().ToArray().Select(v => (double)v).ToArray();
        }
    }

    public IReadOnlyList<Parameter> Parameters => [_logVariance];

    public Tensor Combine(IReadOnlyList<Tensor> taskLosses)
    {
        var losses = stack(taskLosses);
        var precision = _logVariance.neg().exp().mul(ConstantScalars.Of(0.5));
        return losses.mul(precision).add(_logVariance.mul(ConstantScalars.Of(0.5)), ConstantScalars.One).sum();
    }

    public void EndEpoch(IReadOnlyList<double> taskTrainLosses) { }

    public void Save(BinaryWriter writer) => StateIo.Write(writer, _logVariance.data<float>().ToArray().Select(v => (double)v).ToArray());

    public void Load(BinaryReader reader)
    {
        var values = StateIo.Read(reader, (int)_logVariance.shape[0]);
        using var noGrad = no_grad();
        using var restored = tensor(values.Select(v => (float)v).ToArray());
        _logVariance.copy_(restored);
    }

    public void Dispose() => _logVariance.Dispose();
}
