namespace Mta.Models.Options;

/// <summary>Options of <see cref="Architecture.Cgc"/> and <see cref="Architecture.Ple"/> alone (<see cref="NetworkOptions.Ple"/>).</summary>
public sealed record PleOptions
{
    /// <summary>Task-specific experts per task (CGC and PLE). Default 1.</summary>
    public int TaskExpertCount { get; init; } = 1;

    /// <summary>Stacked extraction levels for <see cref="Architecture.Ple"/> (CGC is one level), ≥ 2. Default 2.</summary>
    public int ExtractionLevels { get; init; } = 2;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the option (Ple.…) when a value is unusable.</summary>
    internal void Validate()
    {
        if (TaskExpertCount < 1)
            throw OptionError.OutOfRange("Ple.TaskExpertCount", TaskExpertCount, "Ple.TaskExpertCount must be at least 1.");
        if (ExtractionLevels < 2)
            throw OptionError.OutOfRange("Ple.ExtractionLevels", ExtractionLevels, "Ple.ExtractionLevels must be at least 2 (one level is Architecture.Cgc).");
    }
}
