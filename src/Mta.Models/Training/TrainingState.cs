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

    /// <summary>Per task, its best validation loss so far (<see cref="Options.TrainingOptions.PerTaskBestEpoch"/>); null when off.</summary>
    public double[]? TaskBestLosses { get; set; }

    /// <summary>Per task, copies of its own weights (<see cref="Modules.MultiTaskNetwork.OwnWeights"/>) at that epoch; null entries before any.</summary>
    public Tensor[]?[]? TaskBestWeights { get; set; }

    public void ReplaceTaskBestWeights(int task, Tensor[]? weights)
    {
        foreach (var t in TaskBestWeights![task] ?? [])
            t.Dispose();
        TaskBestWeights[task] = weights;
    }

    public void ReplaceBestState(Dictionary<string, Tensor>? state)
    {
        if (BestState is not null)
        {
            foreach (var t in BestState.Values)
                t.Dispose();
        }
        BestState = state;
    }

    public void Dispose()
    {
        ReplaceBestState(null);
        for (int k = 0; k < (TaskBestWeights?.Length ?? 0); k++)
            ReplaceTaskBestWeights(k, null);
    }
}
