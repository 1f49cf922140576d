using Mta.Models.Tasks.Heads;
using Mta.Models.TorchSharpFixes;
using TorchSharp;
using static TorchSharp.torch;

namespace Mta.Models.Losses;

/// <summary>
/// Per-task losses that ignore missing labels: a missing label contributes nothing, and the mean is taken over the
/// rows whose label is present (a batch with none gives 0, so the task's gradient is simply absent).
/// </summary>
internal static class MaskedTaskLoss
{
    /// <summary>Sum of the per-row losses over present labels, and the number of present labels.</summary>
    /// <param name="taskHead">The task's head (its kind's per-row loss).</param>
    /// <param name="head">Head output: [B, 1] logit / value, or [B, K] logits.</param>
    /// <param name="target">[B] targets, any valid value where missing (regression standardized; multiclass int64).</param>
    /// <param name="mask">[B] float, 1 where the label is present.</param>
    public static (Tensor Sum, Tensor Count) Sum(TaskHead taskHead, Tensor head, Tensor target, Tensor mask)
    {
        var perRow = taskHead.PerRowLoss(head, target);
        return (perRow.mul(mask).sum(), mask.sum());
    }

    /// <summary>
    /// Mean loss over present labels (0 when none is present), with the class targets smoothed by
    /// <paramref name="labelSmoothing"/> (training only: validation judges the plain loss).
    /// </summary>
    public static Tensor Mean(TaskHead taskHead, Tensor head, Tensor target, Tensor mask, double labelSmoothing = 0)
    {
        var perRow = taskHead.SmoothedPerRowLoss(head, target, labelSmoothing);
        return perRow.mul(mask).sum().div(mask.sum().clamp_min(ConstantScalars.Of(1)));
    }
}
