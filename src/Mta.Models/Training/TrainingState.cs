using static TorchSharp.torch;

namespace Mta.Models.Training;

/// <summary>The trainer's bookkeeping between epochs: what a checkpoint must hold besides tensors and RNGs.</summary>
internal sealed class TrainingState : IDisposable
{
    /// <summary>Epochs completed.</summary>
    public int Epoch { get; set; }

    public double BestLoss { get; set; } = double.PositiveInfinity;

    public int EpochsSinceBest { get; set; }

    /// <summary>A copy of the network's state at the best validation epoch (when restoring best weights).</summary>
    public Dictionary<string, Tensor>? BestState { get; private set; }

    public List<EpochReport> History { get; } = [];

    public void ReplaceBestState(Dictionary<string, Tensor>? state)
    {
        if (BestState is not null)
        {
            foreach (var t in BestState.Values)
                t.Dispose();
        }
        BestState = state;
    }

    public void Dispose() => ReplaceBestState(null);
}
