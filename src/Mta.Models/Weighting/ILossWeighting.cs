using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mta.Models.Weighting;

/// <summary>
/// Combines per-task losses into the training objective. Independent of the architecture: the trainer calls it
/// with whatever network it trains (LibMTL's split of architecture × weighting).
/// </summary>
internal interface ILossWeighting : IDisposable
{
    /// <summary>The weights in force now, one per task (reported per epoch and after training).</summary>
    IReadOnlyList<double> Weights { get; }

    /// <summary>Parameters the trainer must optimize together with the network (uncertainty's log variances), else empty.</summary>
    IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The scalar objective for one training batch (a weighting may also adapt itself here).</summary>
    Tensor Combine(IReadOnlyList<Tensor> taskLosses);

    /// <summary>
    /// Whether the weighting needs each task's loss on the same batch again after the optimizer step (FAMO adapts to
    /// the decrease a step achieved); the trainer then runs one more forward pass per batch, without gradients.
    /// </summary>
    bool NeedsLossesAfterStep => false;

    /// <summary>Each task's loss on the batch just trained on, after the step (only when <see cref="NeedsLossesAfterStep"/>).</summary>
    void AfterStep(IReadOnlyList<double> taskLosses) { }

    /// <summary>Called after each epoch with the mean training loss of each task (for adaptive schemes).</summary>
    void EndEpoch(IReadOnlyList<double> taskTrainLosses);

    /// <summary>Writes the adaptive state (for training checkpoints).</summary>
    void Save(BinaryWriter writer);

    /// <summary>Restores what <see cref="Save"/> wrote.</summary>
    void Load(BinaryReader reader);
}
