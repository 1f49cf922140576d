using System.Collections.Concurrent;
using TorchSharp;

namespace Mta.Models.TorchSharpFixes;

/// <summary>
/// TorchSharp Scalars for constants used in every training step (Adam's betas, loss weights, 0.5, 1), made once and kept.
/// </summary>
/// <remarks>
/// Why: passing a double where TorchSharp 0.107 takes a Scalar converts it implicitly into a new native Scalar that
/// nobody disposes; its finalizer may run while the native call still reads it. A long run of many trainings can then
/// die with libtorch's "Unknown scalar type" (seen inside Adam's step). Kept Scalars, and
/// <c>using</c> locals for values that change every step, leave nothing for a finalizer to race with.
/// </remarks>
internal static class ConstantScalars
{
    private static readonly ConcurrentDictionary<double, Scalar> s_cache = new();

    /// <summary>The Scalar for <paramref name="value"/>; only for constants (the cache keeps each value for the process).</summary>
    public static Scalar Of(double value) => s_cache.GetOrAdd(value, v => v.ToScalar());

    /// <summary>
    /// 1, for the <c>alpha</c> of add and add_: their overloads without it (and the + operator) pass an implicit Scalar 1,
    /// which the finalizer race above can free mid-call (seen in gradient clipping's add_). Tensor sub
    /// takes no Scalar.
    /// </summary>
    public static Scalar One => Of(1.0);
}
