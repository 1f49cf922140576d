using Mta.Models.TorchSharpFixes;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mta.Models.Weighting.Gradients;

/// <summary>
/// A weighting that works on the tasks' gradients rather than their losses (LibMTL's gradient methods). The trainer
/// back-propagates each task's loss on its own (K backward passes instead of one), keeps each task's gradient g_k on
/// the shared parameters (the encoder, and the bin encoder before it), and asks <see cref="CombineGradients"/> for
/// coefficients w: the shared parameters then step along Σ_k w_k g_k, while each task's tower and head keep the
/// gradient of their own loss.
/// </summary>
/// <remarks>
/// Every method here is a function of the Gram matrix M = G Gᵀ of the task gradients (their inner products), so a
/// method sees K×K numbers, not the parameter vectors: cheap for any network size, and testable with 2-D gradients
/// written by hand. Coefficients are on the scale of <see cref="LossWeightingKind.Fixed"/>'s plain sum: K equal
/// gradients give K·g under every method except Nash-MTL, whose scale is its own (Adam, the network's optimizer,
/// is nearly indifferent to a gradient's scale; clipping is not).
/// A task without labels in a batch has a zero gradient: it is left out of that step's problem and gets w = 0.
/// </remarks>
internal abstract class GradientWeighting : ILossWeighting
{
    private readonly EpochMeanWeights _mean;
    private int _conflictSteps;

    protected GradientWeighting(int taskCount)
    {
        TaskCount = taskCount;
        _mean = new EpochMeanWeights(taskCount);
    }

    protected int TaskCount { get; }

    /// <summary>The epoch's mean coefficient per task so far (1 before the first step).</summary>
    public IReadOnlyList<double> Weights => _mean.Current;

    /// <summary>Of this epoch's steps so far, the fraction in which two tasks' gradients had a negative inner product.</summary>
    public double? ConflictRate => _mean.Steps == 0 ? null : (double)_conflictSteps / _mean.Steps;

    public IReadOnlyList<Parameter> Parameters => [];

    /// <summary>The plain sum of the task losses: what is reported as the training loss (gradients are combined separately).</summary>
    public Tensor Combine(IReadOnlyList<Tensor> taskLosses)
    {
        var total = taskLosses[0];
        for (int k = 1; k < taskLosses.Count; k++)
            total = total.add(taskLosses[k], ConstantScalars.One);
        return total;
    }

    /// <summary>The coefficients w (one per task) for a batch whose task gradients have the Gram matrix <paramref name="gram"/> [K, K].</summary>
    public double[] CombineGradients(double[,] gram)
    {
        var present = Enumerable.Range(0, TaskCount).Where(k => gram[k, k] > 0).ToArray();
        var weights = new double[TaskCount];
        if (present.Length > 0)
        {
            var sub = new double[present.Length, present.Length];
            bool conflict = false;
            for (int i = 0; i < present.Length; i++)
            {
                for (int j = 0; j < present.Length; j++)
                {
                    sub[i, j] = gram[present[i], present[j]];
                    conflict |= sub[i, j] < 0;
                }
            }
            var solved = present.Length == 1 ? [1.0] : Solve(sub);
            for (int i = 0; i < present.Length; i++)
                weights[present[i]] = double.IsFinite(solved[i]) ? solved[i] : 0;
            if (conflict)
                _conflictSteps++;
        }
        _mean.Add(weights);
        return weights;
    }

    /// <summary>The method itself: coefficients for the tasks of <paramref name="gram"/> (every one with a non-zero gradient, at least two).</summary>
    protected abstract double[] Solve(double[,] gram);

    public void EndEpoch(IReadOnlyList<double> taskTrainLosses)
    {
        _mean.EndEpoch();
        _conflictSteps = 0;
    }

    public void Save(BinaryWriter writer)
    {
        _mean.Save(writer);
        SaveState(writer);
    }

    public void Load(BinaryReader reader)
    {
        _mean.Load(reader);
        LoadState(reader);
    }

    /// <summary>A method's own state across steps (a random generator, a warm start), for checkpoints.</summary>
    protected virtual void SaveState(BinaryWriter writer) { }

    protected virtual void LoadState(BinaryReader reader) { }

    public virtual void Dispose() { }
}
