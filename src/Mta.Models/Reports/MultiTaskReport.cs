using Mta.Models.Options;
using Mta.Models.Training;
using Mta.Models.Weighting;

namespace Mta.Models.Reports;

/// <summary>
/// What a trained model learned about its tasks, for people: how much each task drew on each source (expert,
/// gate input or mask unit), how alike the tasks' choices are, the final loss weights and the training curves.
/// </summary>
/// <remarks>
/// Sources are numbered across the whole network. For CGC/PLE a task can only reach its own experts and the
/// shared ones, so its row is 0 on other tasks' experts; <see cref="SourceIndex"/> maps a task's
/// <c>{task}.Attention</c> slots to these global sources.
/// </remarks>
public sealed record MultiTaskReport
{
    /// <summary>The architecture trained.</summary>
    public required Architecture Architecture { get; init; }

    /// <summary>The loss weighting trained with.</summary>
    public required LossWeightingKind LossWeighting { get; init; }

    /// <summary>Task names, in output order.</summary>
    public required IReadOnlyList<string> Tasks { get; init; }

    /// <summary>Names of the global sources (columns of <see cref="MeanAttention"/>), e.g. "expert 1" or "shared expert 2".</summary>
    public required IReadOnlyList<string> Sources { get; init; }

    /// <summary>Per task, for each slot of its <c>{task}.Attention</c> output, the global source index.</summary>
    public required IReadOnlyList<IReadOnlyList<int>> SourceIndex { get; init; }

    /// <summary>Rows the mean attention was measured on (the training rows at fit time).</summary>
    public required long Rows { get; init; }

    /// <summary>Task × source: the task's mean attention weight on each source over <see cref="Rows"/> rows.</summary>
    public required IReadOnlyList<IReadOnlyList<double>> MeanAttention { get; init; }

    /// <summary>Per task, the final loss weight (fixed, or learned by an adaptive weighting).</summary>
    public required IReadOnlyList<double> LossWeights { get; init; }

    /// <summary>Per epoch: per-task training and validation losses and the loss weights in force.</summary>
    public required IReadOnlyList<EpochReport> History { get; init; }

    /// <summary>
    /// Task × task affinity: the cosine similarity of two tasks' mean attention rows (1 = they draw on the same
    /// sources in the same proportions, 0 = disjoint sources).
    /// </summary>
    public IReadOnlyList<IReadOnlyList<double>> TaskAffinity =>
        MeanAttention.Select(a => (IReadOnlyList<double>)MeanAttention.Select(b => Cosine(a, b)).ToArray()).ToArray();

    /// <summary>The same report with <see cref="MeanAttention"/> measured on other rows.</summary>
    /// <param name="attentionSums">Per task, the sum over rows of its <c>{task}.Attention</c> slots.</param>
    /// <param name="rows">Number of rows summed.</param>
    public MultiTaskReport WithAttention(IReadOnlyList<IReadOnlyList<double>> attentionSums, long rows)
    {
        ArgumentNullException.ThrowIfNull(attentionSums);
        if (attentionSums.Count != Tasks.Count)
            throw new ArgumentException($"Expected attention sums for {Tasks.Count} tasks, got {attentionSums.Count}.", nameof(attentionSums));
        var mean = new double[Tasks.Count][];
        for (int k = 0; k < Tasks.Count; k++)
        {
            if (attentionSums[k].Count != SourceIndex[k].Count)
                throw new ArgumentException($"Task '{Tasks[k]}' has {SourceIndex[k].Count} attention slots, got {attentionSums[k].Count} sums.", nameof(attentionSums));
            mean[k] = new double[Sources.Count];
            for (int j = 0; j < SourceIndex[k].Count; j++)
                mean[k][SourceIndex[k][j]] = rows > 0 ? attentionSums[k][j] / rows : 0;
        }
        return this with { MeanAttention = mean, Rows = rows };
    }

    private static double Cosine(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Count; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na > 0 && nb > 0 ? dot / Math.Sqrt(na * nb) : 0;
    }
}
