using Mta.Models.Architectures;
using Mta.Models.Options;
using Mta.Models.Tasks;

namespace Mta.Models.Weighting;

/// <summary>Creates the <see cref="ILossWeighting"/> for an option value.</summary>
internal static class LossWeightings
{
    public static ILossWeighting Create(TrainingOptions options, IReadOnlyList<TaskSpec> tasks, TaskEncoder encoder) => options.LossWeighting switch
    {
        LossWeightingKind.Fixed => new FixedLossWeighting(tasks.Select(t => (double)t.LossWeight).ToArray()),
        LossWeightingKind.Uncertainty => new UncertaintyLossWeighting(tasks.Count),
        LossWeightingKind.DynamicWeightAverage => new DynamicWeightAverage(tasks.Count),
        LossWeightingKind.GradNorm => new GradNormLossWeighting(tasks.Count, encoder.LastSharedLayer, options.LearningRate),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.LossWeighting, "Unknown loss weighting."),
    };
}
