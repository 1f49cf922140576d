using Mta.Models.Modules;
using Mta.Models.Tasks;
using Mta.Models.Tasks.Heads;
using TorchSharp;
using static TorchSharp.torch;

namespace Mta.Models.Training;

/// <summary>
/// Temperature scaling (Guo et al., 2017) of the kept network: each classification task's logits are multiplied by
/// the inverse temperature β that minimizes its validation loss, and β is folded into the task's output layer, so
/// the exported graph, the predicted classes and the rankings stay as they are and only the probabilities move.
/// </summary>
internal static class TemperatureScaling
{
    // β beyond 4 or below 1/4 would mean the network was trained into a far worse calibration than early stopping on
    // the same validation loss allows; the bounds keep a small validation set from pushing the scores to extremes.
    private const double MinInverseTemperature = 0.25, MaxInverseTemperature = 4;

    // Golden-section steps: each keeps the golden ratio's share of the bracket, so these narrow β far below any
    // difference a validation loss can tell apart.
    private const int Steps = 16;

    /// <summary>Fits and applies each logit task's β (1 where no probe scored better).</summary>
    public static void Apply(MultiTaskNetwork net, DeviceData validation, IReadOnlyList<TaskSpec> tasks)
    {
        var inverse = Enumerable.Repeat(1.0, tasks.Count).ToArray();
        int[] fitted = [.. Enumerable.Range(0, tasks.Count).Where(k => TaskHeads.For(tasks[k]).IsLogits)];
        if (fitted.Length == 0)
            return;
        using var noGrad = no_grad();
        var original = new (Tensor Weight, Tensor Bias)[tasks.Count];
        foreach (int k in fitted)
            original[k] = (net.Head(k).Weight.clone(), net.Head(k).Bias.clone());
        try
        {
            var bestLoss = MultiTaskTrainer.Evaluate(net, validation, tasks);   // at β = 1
            // Sets every fitted task's head to its β in one pass over the validation rows (the heads are the tasks'
            // own, so each task's loss depends on its β alone), keeping each task's best β so far.
            double[] Probe(double[] betas)
            {
                foreach (int k in fitted)
                    SetInverseTemperature(net, k, original[k], betas[k]);
                var losses = MultiTaskTrainer.Evaluate(net, validation, tasks);
                foreach (int k in fitted)
                {
                    if (losses[k] < bestLoss[k])
                        (bestLoss[k], inverse[k]) = (losses[k], betas[k]);
                }
                return losses;
            }

            // The validation loss is convex in β (a log-sum-exp of logits scaled by β): a golden-section search over
            // the bracket finds its minimum, every task searching its own bracket in step.
            double ratio = (Math.Sqrt(5) - 1) / 2;
            var lo = Enumerable.Repeat(MinInverseTemperature, tasks.Count).ToArray();
            var hi = Enumerable.Repeat(MaxInverseTemperature, tasks.Count).ToArray();
            var x1 = lo.Select((l, k) => hi[k] - ratio * (hi[k] - l)).ToArray();
            var x2 = lo.Select((l, k) => l + ratio * (hi[k] - l)).ToArray();
            var f1 = Probe(x1);
            var f2 = Probe(x2);
            for (int step = 0; step < Steps; step++)
            {
                var next = new double[tasks.Count];
                var lower = new bool[tasks.Count];   // whether the minimum lies towards lo, so x1 is the new probe
                foreach (int k in fitted)
                {
                    lower[k] = f1[k] < f2[k];
                    if (lower[k])
                        (hi[k], x2[k], f2[k], next[k]) = (x2[k], x1[k], f1[k], x2[k] - ratio * (x2[k] - lo[k]));
                    else
                        (lo[k], x1[k], f1[k], next[k]) = (x1[k], x2[k], f2[k], x1[k] + ratio * (hi[k] - x1[k]));
                }
                var probed = Probe(next);
                foreach (int k in fitted)
                {
                    if (lower[k])
                        (x1[k], f1[k]) = (next[k], probed[k]);
                    else
                        (x2[k], f2[k]) = (next[k], probed[k]);
                }
            }
            // β = 1 stays unless a probe scored strictly better: the network is never made worse on validation.
            foreach (int k in fitted)
                SetInverseTemperature(net, k, original[k], inverse[k]);
        }
        finally
        {
            foreach (int k in fitted)
            {
                original[k].Weight.Dispose();
                original[k].Bias.Dispose();
            }
        }
    }

    private static void SetInverseTemperature(MultiTaskNetwork net, int task, (Tensor Weight, Tensor Bias) original, double beta)
    {
        var (weight, bias) = net.Head(task);
        using var scale = beta.ToScalar();   // disposed here, not by a finalizer (see ConstantScalars)
        using var w = original.Weight.mul(scale);
        using var b = original.Bias.mul(scale);
        weight.copy_(w);
        bias.copy_(b);
    }
}
