namespace Mta.Models.Data;

/// <summary>
/// Training rows that are read, not held: each call of <see cref="ReadChunks"/> streams every row again, in the same
/// order, a chunk at a time. Lets <c>MultiTaskTrainer.TrainStreaming</c> train on more rows than fit in memory.
/// </summary>
public interface IMultiTaskRowSource
{
    /// <summary>Features per row.</summary>
    int FeatureCount { get; }

    /// <summary>All rows, in a fixed order, as consecutive chunks of at most <paramref name="maxRows"/> rows.</summary>
    IEnumerable<MultiTaskData> ReadChunks(int maxRows, CancellationToken cancellationToken);
}
