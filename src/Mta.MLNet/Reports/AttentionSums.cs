using Microsoft.ML;
using Microsoft.ML.Data;
using Mta.MLNet.Schema;

namespace Mta.MLNet.Reports;

/// <summary>Sums each task's <c>{task}.Attention</c> vectors over a scored data view (one pass, constant memory).</summary>
internal static class AttentionSums
{
    public static (IReadOnlyList<IReadOnlyList<double>> Sums, long Rows) Measure(IDataView scored, IReadOnlyList<string> tasks)
    {
        var columns = tasks.Select(t => scored.Schema[OutputColumnNames.Attention(t)]).ToArray();
        var sums = columns.Select(c => new double[((VectorDataViewType)c.Type).Size]).ToArray();
        long rows = 0;
        using var cursor = scored.GetRowCursor(columns);
        var getters = columns.Select(c => cursor.GetGetter<VBuffer<float>>(c)).ToArray();
        var buffer = default(VBuffer<float>);
        while (cursor.MoveNext())
        {
            for (int k = 0; k < getters.Length; k++)
            {
                getters[k](ref buffer);
                foreach (var (j, v) in buffer.Items())
                    sums[k][j] += v;
            }
            rows++;
        }
        return (sums, rows);
    }
}
