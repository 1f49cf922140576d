using Mta.Models.Tasks;

namespace Mta.Models.Weighting;

/// <summary>Creates the <see cref="ILossWeighting"/> for an option value.</summary>
internal static class LossWeightings
{
    public static ILossWeighting Create(LossWeightingKind kind, IReadOnlyList<TaskSpec> tasks) => kind switch
    {
        LossWeightingKind.Fixed => new FixedLossWeighting(tasks.Select(t => (double)t.LossWeight).ToArray()),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown loss weighting."),
    };
}
