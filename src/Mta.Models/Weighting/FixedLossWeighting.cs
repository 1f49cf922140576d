using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mta.Models.Weighting;

/// <summary>L = Σ_k w_k L_k with constant weights.</summary>
internal sealed class FixedLossWeighting(IReadOnlyList<double> weights) : ILossWeighting
{
    public IReadOnlyList<double> Weights { get; } = weights;

    public IReadOnlyList<Parameter> Parameters => [];

    public Tensor Combine(IReadOnlyList<Tensor> taskLosses) => WeightedSum(taskLosses, Weights);

    public void EndEpoch(IReadOnlyList<double> taskTrainLosses) { }

    public void Save(BinaryWriter writer) { }

    public void Load(BinaryReader reader) { }

    public void Dispose() { }

    /// <summary>Σ_k weights[k] · losses[k].</summary>
    internal static Tensor WeightedSum(IReadOnlyList<Tensor> losses, IReadOnlyList<double> weights)
    {
        var total = losses[0].mul(weights[0]);
        for (int k = 1; k < losses.Count; k++)
            total = total.add(losses[k].mul(weights[k]));
        return total;
    }
}
