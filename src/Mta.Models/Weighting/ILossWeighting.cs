using static TorchSharp.torch;

namespace Mta.Models.Weighting;

/// <summary>
/// Combines per-task losses into the training objective. Independent of the architecture: the trainer calls it
/// with whatever network it trains (LibMTL's split of architecture × weighting).
/// </summary>
internal interface ILossWeighting
{
    /// <summary>The weights in force now, one per task (reported after training).</summary>
    IReadOnlyList<double> Weights { get; }

    /// <summary>The scalar objective for one batch.</summary>
    Tensor Combine(IReadOnlyList<Tensor> taskLosses);

    /// <summary>Called after each epoch with the mean training loss of each task (for adaptive schemes).</summary>
    void EndEpoch(IReadOnlyList<double> taskTrainLosses);
}
