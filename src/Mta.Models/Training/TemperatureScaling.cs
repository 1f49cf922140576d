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

    // Golden-section steps: the bracket shrinks by 0.618 per step, to a width of about 0.001 in β.
    private const int Steps = 16;

    /// <summary>Fits and applies each logit task's β; returns them (1 for the other tasks and where 1 scored best).</summary>
    public static double[] Apply(MultiTaskNetwork net, DeviceData validation, IReadOnlyList<TaskSpec> tasks)
    {
        var inverse = Enumerable.Repeat(1.0, tasks.Count).ToArray();
        var fitted = Enumerable.Range(0, tasks.Count).Where(k => TaskHeads.For(tasks[k]).IsLogits).ToArray();
        if (fitted.Length == 0)
            return inverse;
        using var noGrad = no_grad();
        var original = fitted.ToDictionary(k => k, k => (Weight: net.Head(k).Weight.clone(), Bias: net.Head(k).Bias.clone()));
        try
        {
            // The validation loss is convex in β (a log-sum-exp of logits scaled by β), so a golden-section search
            // finds its minimum over the bracket; all tasks search in step, one validation pass per step.
            var losses = MultiTaskTrainer.Evaluate(net, validation, tasks);
            var best = fitted.ToDictionary(k => k, k => (Beta: 1.0, Loss: losses[k]));
            double[] Probe(IReadOnlyDictionary<int, double> betas)
            {
                foreach (var (k, beta) in betas)
                    SetInverseTemperature(net, k, original[k], beta);
                var probed = MultiTaskTrainer.Evaluate(net, validation, tasks);
                foreach (var (k, beta) in betas)
                {
                    if (probed[k] < best[k].Loss)
                        best[k] = (beta, probed[k]);
                }
                return probed;
            }
            double ratio = (Math.Sqrt(5) - 1) / 2;
            var lo = fitted.ToDictionary(k => k, _ => MinInverseTemperature);
            var hi = fitted.ToDictionary(k => k, _ => MaxInverseTemperature);
            var x1 = fitted.ToDictionary(k => k, k => hi[k] - ratio * (hi[k] - lo[k]));
            var x2 = fitted.ToDictionary(k => k, k => lo[k] + ratio * (hi[k] - lo[k]));
            var f1Values = Probe(x1);
            var f2Values = Probe(x2);
            var f1 = fitted.ToDictionary(k => k, k => f1Values[k]);
            var f2 = fitted.ToDictionary(k => k, k => f2Values[k]);
            for (int step = 0; step < Steps; step++)
            {
                var next = new Dictionary<int, double>();
                foreach (int k in fitted)
                {
                    if (f1[k] < f2[k])
                    {
                        (hi[k], x2[k], f2[k]) = (x2[k], x1[k], f1[k]);
                        next[k] = x1[k] = hi[k] - ratio * (hi[k] - lo[k]);
                    }
                    else
                    {
                        (lo[k], x1[k], f1[k]) = (x1[k], x2[k], f2[k]);
                        next[k] = x2[k] = lo[k] + ratio * (hi[k] - lo[k]);
                    }
                }
                var probed = Probe(next);
                foreach (int k in fitted)
                {
                    if (next[k] == x1[k])
                        f1[k] = probed[k];
                    else
                        f2[k] = probed[k];
                }
            }
            foreach (int k in fitted)
            {
                // β = 1 stays unless a probe scored strictly better: the network is never made worse on validation.
                inverse[k] = best[k].Beta;
                SetInverseTemperature(net, k, original[k], inverse[k]);
            }
            return inverse;
        }
        finally
        {
            foreach (var (weight, bias) in original.Values)
            {
                weight.Dispose();
                bias.Dispose();
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
