using Mta.Models.Modules;
using Mta.Models.Options;
using Mta.Models.Tasks;
using static TorchSharp.torch;

namespace Mta.Models.Training;

/// <summary>
/// The validation step after each epoch: judges the weights that would be returned (the average, when averaging),
/// keeps the best epoch's weights, counts epochs without progress for early stopping, and lowers the learning rate
/// on a plateau. Its counters live in <see cref="TrainingState"/>, so a checkpoint resumes them.
/// </summary>
internal sealed class EarlyStopping(
    DeviceData? validation, IReadOnlyList<TaskSpec> tasks, TrainingOptions options, TrainingState state, Optimizers optimizers)
{
    /// <summary>True once <see cref="TrainingOptions.EarlyStoppingPatience"/> epochs have passed without a better validation loss.</summary>
    public bool Stopped => validation is not null && options.EarlyStoppingPatience > 0 && state.EpochsSinceBest >= options.EarlyStoppingPatience;

    /// <summary>The epoch's validation loss (total and per task) and whether it is the best so far; nulls without validation rows.</summary>
    public (double? Total, double[]? Tasks, bool IsBest) Judge(MultiTaskNetwork net)
    {
        if (validation is null)
            return (null, null, false);
        double[] perTask;
        double total;
        bool isBest;
        using (optimizers.Average?.Use())   // the weights that would be returned are the ones judged and kept
        {
            perTask = MultiTaskTrainer.Evaluate(net, validation, tasks);
            // Model selection uses the tasks' fixed weights, so epochs stay comparable while adaptive weights move.
            total = perTask.Select((l, k) => l * tasks[k].LossWeight).Sum();
            isBest = total < state.BestLoss;
            if (isBest && options.RestoreBestWeights)
                state.ReplaceBestState(Snapshot(net));
            if (state.TaskBestLosses is { } taskBest)
            {
                for (int k = 0; k < tasks.Count; k++)
                {
                    if (perTask[k] < taskBest[k])
                    {
                        taskBest[k] = perTask[k];
                        state.ReplaceTaskBestWeights(k, CopyOwnWeights(net, k));
                    }
                }
            }
        }
        if (isBest)
        {
            state.BestLoss = total;
            state.EpochsSinceBest = 0;
        }
        else
        {
            state.EpochsSinceBest++;
            // Plateau schedule: a smaller step after every LearningRatePatience epochs without progress.
            if (options.LearningRateDecay < 1 && state.EpochsSinceBest % options.LearningRatePatience == 0)
                optimizers.Network.LearningRate *= options.LearningRateDecay;
        }
        return (total, perTask, isBest);
    }

    /// <summary>
    /// The last step: the network takes the best epoch's weights when they were kept, otherwise the average (or
    /// the last weights). Returns the epoch whose loss weights go with the network kept.
    /// </summary>
    public EpochReport KeepBest(MultiTaskNetwork net)
    {
        bool restored = state.BestState is not null;
        if (restored)
            net.load_state_dict(state.BestState!);
        else
            optimizers.Average?.Apply();
        if (state.TaskBestWeights is { } taskBest && validation is not null)
            TakeTaskBestWhereBetter(net, taskBest);
        net.eval();
        return restored ? state.History.Last(e => e.IsBest) : state.History[^1];
    }

    /// <summary>
    /// Each task takes the weights of its own best epoch only where they score better on validation with the shared
    /// weights kept: they were judged beside that epoch's shared weights, and shared weights that went on learning
    /// can fit them worse than the best epoch's own.
    /// </summary>
    private void TakeTaskBestWhereBetter(MultiTaskNetwork net, Tensor[]?[] taskBest)
    {
        var kept = MultiTaskTrainer.Evaluate(net, validation!, tasks);
        var keptWeights = new Tensor[]?[tasks.Count];
        try
        {
            for (int k = 0; k < tasks.Count; k++)
            {
                if (taskBest[k] is { } best)
                {
                    keptWeights[k] = CopyOwnWeights(net, k);
                    CopyInto(net, k, best);
                }
            }
            var composed = MultiTaskTrainer.Evaluate(net, validation!, tasks);
            for (int k = 0; k < tasks.Count; k++)
            {
                // Heads are the tasks' own, so one task's choice leaves the other tasks' losses unchanged.
                if (keptWeights[k] is { } own && !(composed[k] < kept[k]))
                    CopyInto(net, k, own);
            }
        }
        finally
        {
            foreach (var t in keptWeights.SelectMany(w => w ?? []))
                t.Dispose();
        }
    }

    private static void CopyInto(MultiTaskNetwork net, int task, Tensor[] weights)
    {
        using var noGrad = no_grad();
        foreach (var (own, source) in net.OwnWeights(task).Zip(weights))
        {
            own.copy_(source);
            own.Dispose();   // a view's handle; the weights stay (see OwnWeights)
        }
    }

    private static Tensor[] CopyOwnWeights(MultiTaskNetwork net, int task)
    {
        using var noGrad = no_grad();
        var own = net.OwnWeights(task);
        var copies = own.Select(t => t.clone()).ToArray();
        foreach (var view in own)
            view.Dispose();   // released here, not left to a finalizer thread
        return copies;
    }

    private static Dictionary<string, Tensor> Snapshot(MultiTaskNetwork net)
    {
        using var noGrad = no_grad();
        // clone() under no_grad needs no detach(): a chained temporary would be unreachable during the native call, and
        // its finalizer could free it mid-call (the race described in ConstantScalars).
        return net.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
    }
}
