namespace Mta.Models.Tasks.Heads;

/// <summary>
/// A task head's statistics of the training labels gathered one present label at a time (streamed training), for
/// the same target scaling and class priors the head fits on labels in memory.
/// </summary>
internal class LabelStatistics
{
    /// <summary>For kinds that need no statistics: ignores the labels, no scaling, no priors.</summary>
    public static readonly LabelStatistics None = new();

    /// <summary>Adds one present label.</summary>
    public virtual void Add(float y) { }

    /// <summary>The fitted (mean, scale) of the loss target.</summary>
    public virtual (float Mean, float Scale) TargetScaling => (0f, 1f);

    /// <summary>Each class's share of the labels added, or null.</summary>
    public virtual float[]? ClassPriors => null;
}
