namespace Mta.Models.Options;

/// <summary>Options of <see cref="Architecture.DSelectK"/> alone (<see cref="NetworkOptions.DSelectK"/>).</summary>
public sealed record DSelectKOptions
{
    /// <summary>
    /// Single-expert selectors per task, the k of DSelect-k: a task mixes at most this many experts once its selectors
    /// have settled. 1 ≤ k ≤ <see cref="NetworkOptions.ExpertCount"/>. Default 2.
    /// </summary>
    public int SelectedExperts { get; init; } = 2;

    /// <summary>
    /// Width γ of the selectors' smooth-step, &gt; 0: a code value z gives S(z) = 0 below −γ/2, 1 above γ/2 and a cubic
    /// between, so a smaller γ makes selectors commit to one expert sooner. Default 1.
    /// </summary>
    public double SmoothStepGamma { get; init; } = 1.0;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the option (DSelectK.…) when a value is unusable.</summary>
    internal void Validate(Architecture architecture, int expertCount)
    {
        if (SelectedExperts < 1)
            throw OptionError.OutOfRange("DSelectK.SelectedExperts", SelectedExperts, "DSelectK.SelectedExperts must be at least 1.");
        // Only DSelect-k bounds k by the experts: the default (2) must not reject a one-expert network of another architecture.
        if (architecture == Architecture.DSelectK && SelectedExperts > expertCount)
            throw OptionError.OutOfRange("DSelectK.SelectedExperts", SelectedExperts,
                $"Architecture.DSelectK needs DSelectK.SelectedExperts ≤ ExpertCount ({expertCount}): each selector picks one of the experts.");
        if (!(SmoothStepGamma > 0) || double.IsInfinity(SmoothStepGamma))
            throw OptionError.OutOfRange("DSelectK.SmoothStepGamma", SmoothStepGamma, "DSelectK.SmoothStepGamma must be a finite number > 0.");
    }
}
