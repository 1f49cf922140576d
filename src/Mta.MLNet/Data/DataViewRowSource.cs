using Microsoft.ML;
using Mta.Models.Data;

namespace Mta.MLNet.Data;

/// <summary>An <see cref="IDataView"/> as a streamed row source: every pass opens a new cursor and reads chunk by chunk.</summary>
internal sealed class DataViewRowSource(IDataView data, FeatureLayout layout, IReadOnlyList<ResolvedTask> tasks) : IMultiTaskRowSource
{
    public int FeatureCount => layout.Width;

    public IEnumerable<MultiTaskData> ReadChunks(int maxRows, CancellationToken cancellationToken) =>
        TrainingDataReader.ReadChunks(data, layout, tasks, "training data", maxRows, cancellationToken)
            .Where(chunk => chunk.RowCount > 0);
}
