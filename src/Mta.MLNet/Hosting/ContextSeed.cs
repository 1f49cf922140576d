using System.Reflection;
using Microsoft.ML;
using Mta.Models.Options;

namespace Mta.MLNet.Hosting;

/// <summary>The seed an MLContext was created with, as the default training seed.</summary>
/// <remarks>
/// Why reflection: ML.NET keeps the seed on an internal interface (IHostEnvironmentInternal.Seed), which its own
/// components read as friends. The public alternative, a number drawn from the context's random generator, would
/// depend on how many ML.NET components were created on the context before Fit, so the same seed could give a
/// different model after one more featurizer. If a later ML.NET drops the interface, the seed reads as absent and
/// training falls back to <see cref="TrainingOptions.DefaultSeed"/>, which a test catches.
/// </remarks>
internal static class ContextSeed
{
    private static readonly PropertyInfo? s_seed = typeof(MLContext)
        .GetInterfaces()
        .FirstOrDefault(i => i.FullName == "Microsoft.ML.Runtime.IHostEnvironmentInternal")
        ?.GetProperty("Seed", typeof(int?));

    /// <summary>The context's seed, or null for <c>new MLContext()</c>.</summary>
    public static int? Of(MLContext mlContext) => s_seed?.GetValue(mlContext) as int?;

    /// <summary>
    /// The options with their seed decided: an explicit <see cref="TrainingOptions.Seed"/>, else the context's seed,
    /// else <see cref="TrainingOptions.DefaultSeed"/> (so <c>new MLContext()</c> trains the same model on every run).
    /// </summary>
    public static TrainingOptions Apply(MLContext mlContext, TrainingOptions training) =>
        training.Seed is not null ? training : training with { Seed = Of(mlContext) ?? TrainingOptions.DefaultSeed };
}
