using Mta.Models.Tasks;
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
    /// <param name="kind">The task kind.</param>
    /// <param name="head">Head output: [B, 1] logit / value, or [B, K] logits.</param>
    /// <param name="target">[B] targets, any valid value where missing (regression standardized; multiclass int64).</param>
    /// <param name="mask">[B] float, 1 where the label is present.</param>
    public static (Tensor Sum, Tensor Count) Sum(TaskKind kind, Tensor head, Tensor target, Tensor mask)
    {
        var perRow = kind switch
        {
            TaskKind.Binary => nn.functional.binary_cross_entropy_with_logits(head.squeeze(1), target, reduction: nn.Reduction.None),
            TaskKind.Multiclass => nn.functional.cross_entropy(head, target, reduction: nn.Reduction.None),
            TaskKind.Regression => SquaredError(head.squeeze(1).sub(target)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown task kind."),
        };
        return (perRow.mul(mask).sum(), mask.sum());
    }

    // x·x rather than square(): TorchSharp's square() is pow(2) with an implicit Scalar (see ConstantScalars).
    private static Tensor SquaredError(Tensor difference) => difference.mul(difference);

    /// <summary>Mean loss over present labels (0 when none is present).</summary>
    public static Tensor Mean(TaskKind kind, Tensor head, Tensor target, Tensor mask)
    {
        var (sum, count) = Sum(kind, head, target, mask);
        return sum.div(count.clamp_min(ConstantScalars.Of(1)));
    }
}
