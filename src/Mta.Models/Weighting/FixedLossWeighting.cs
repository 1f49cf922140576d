using Mta.Models.TorchSharpFixes;
using TorchSharp;
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
        // Weights can change every step (GradNorm): each Scalar is disposed after its product (see ConstantScalars).
        Tensor total = null!;
        for (int k = 0; k < losses.Count; k++)
        {
            using var weight = weights[k].ToScalar();
            var term = losses[k].mul(weight);
            total = k == 0 ? term : total.add(term, ConstantScalars.One);
        }
        return total;
    }
}
