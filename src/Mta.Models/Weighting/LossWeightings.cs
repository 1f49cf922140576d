using Mta.Models.Architectures;
using Mta.Models.Options;
using Mta.Models.Tasks;
using Mta.Models.Weighting.Gradients;

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
        LossWeightingKind.RandomLossWeighting => new RandomLossWeighting(tasks.Count, options.Seed!.Value),
        LossWeightingKind.FAMO => new FamoLossWeighting(tasks.Count),
        LossWeightingKind.PCGrad => new PCGrad(tasks.Count, options.Seed!.Value),
        LossWeightingKind.CAGrad => new CAGrad(tasks.Count),
        LossWeightingKind.MGDA => new Mgda(tasks.Count),
        LossWeightingKind.IMTL => new Imtl(tasks.Count),
        LossWeightingKind.AlignedMTL => new AlignedMtl(tasks.Count),
        LossWeightingKind.NashMTL => new NashMtl(tasks.Count),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.LossWeighting, "Unknown loss weighting."),
    };
}
