using Mta.Models.TorchSharpFixes;
using Mta.Models.Weighting.Gradients;
using static TorchSharp.torch;

namespace Mta.Models.Training;

/// <summary>
/// The backward pass of a gradient method (<see cref="GradientWeighting"/>): each task's loss is back-propagated on
/// its own, its gradient on the shared parameters is taken out of the flat gradient, and their combination is
/// written back. The towers and heads are each reached by one task's loss only, so they simply accumulate the
/// gradient of their own task across the K passes.
/// </summary>
internal sealed class TaskGradients(FlatAdam optimizer, Tensor sharedPositions) : IDisposable
{
    public void Backward(IReadOnlyList<Tensor> taskLosses, GradientWeighting weighting)
    {
        using var scope = NewDisposeScope();
        int k = taskLosses.Count;
        var flat = optimizer.Gradients;
        var perTask = empty(k, sharedPositions.shape[0]);
        for (int t = 0; t < k; t++)
        {
            // The graph is shared by every task's loss: kept until the last task's pass.
            taskLosses[t].backward(retain_graph: t < k - 1);
            perTask[t].copy_(flat.index_select(0, sharedPositions));
            flat.index_fill_(0, sharedPositions, ConstantScalars.Of(0.0));
        }
        var wide = perTask.to_type(ScalarType.Float64);
        var gramValues = wide.mm(wide.t()).data<double>().ToArray();
        var gram = new double[k, k];
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < k; j++)
                gram[i, j] = gramValues[i * k + j];
        }
        var weights = weighting.CombineGradients(gram);
        var combined = tensor(weights.Select(w => (float)w).ToArray()).unsqueeze(0).mm(perTask).squeeze(0);
        flat.index_copy_(0, sharedPositions, combined);
    }

    public void Dispose() => sharedPositions.Dispose();
}
