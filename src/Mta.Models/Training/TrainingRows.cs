using Mta.Models.Data;
using Mta.Models.Modules;
using Mta.Models.Tasks;

namespace Mta.Models.Training;

/// <summary>The training rows of one epoch, as one or more chunks of tensors; batches are shuffled within a chunk.</summary>
internal abstract class TrainingRows : IDisposable
{
    /// <summary>Training rows per epoch.</summary>
    public abstract long Rows { get; }

    /// <summary>The chunks of one epoch. The caller must not keep a chunk after asking for the next.</summary>
    public abstract IEnumerable<DeviceData> Epoch(CancellationToken ct);

    public abstract void Dispose();
}

/// <summary>All rows as tensors, built once and reused every epoch (the default).</summary>
internal sealed class InMemoryRows(DeviceData data) : TrainingRows
{
    public override long Rows => data.Rows;

    public override IEnumerable<DeviceData> Epoch(CancellationToken ct)
    {
        yield return data;
    }

    public override void Dispose() => data.Dispose();
}

/// <summary>
/// Rows read again from an <see cref="IMultiTaskRowSource"/> every epoch, one chunk of tensors at a time, so memory
/// holds one chunk however many rows there are. Rows held out for validation and rows without labels are skipped.
/// </summary>
internal sealed class StreamedRows(
    IMultiTaskRowSource source, int chunkRows, IReadOnlySet<long> heldOut, long rows,
    IReadOnlyList<TaskSpec> tasks, IReadOnlyList<(float Mean, float Scale)> targetScaling, MultiTaskNetwork net) : TrainingRows
{
    public override long Rows => rows;

    public override IEnumerable<DeviceData> Epoch(CancellationToken ct)
    {
        long first = 0;
        foreach (var chunk in source.ReadChunks(chunkRows, ct))
        {
            var keep = new List<int>(chunk.RowCount);
            for (int r = 0; r < chunk.RowCount; r++)
            {
                if (!heldOut.Contains(first + r) && chunk.Labels.Any(l => !float.IsNaN(l[r])))
                    keep.Add(r);
            }
            first += chunk.RowCount;
            if (keep.Count == 0)
                continue;
            using var device = DeviceData.Create(keep.Count == chunk.RowCount ? chunk : chunk.Select(keep), tasks, targetScaling, net);
            yield return device;
        }
    }

    public override void Dispose() { }
}
