using static TorchSharp.torch;

namespace Mta.Models.Weighting;

/// <summary>L = Σ_k w_k L_k with constant weights.</summary>
internal sealed class FixedLossWeighting(IReadOnlyList<double> weights) : ILossWeighting
{
    public IReadOnlyList<double> Weights { get; } = weights;

    public Tensor Combine(IReadOnlyList<Tensor> taskLosses)
    {
        var total = taskLosses[0].mul(Weights[0]);
        for (int k = 1; k < taskLosses.Count; k++)
            total = total.add(taskLosses[k].mul(Weights[k]));
        return total;
    }

    public void EndEpoch(IReadOnlyList<double> taskTrainLosses) { }
}
