using Microsoft.ML;
using Microsoft.ML.Data;
using Mta.MLNet.Schema;

namespace Mta.MLNet.Reports;

/// <summary>Sums each task's <c>{task}.Attention</c> vectors over a scored data view (one pass, constant memory).</summary>
/// <remarks>
/// A set model's attention has one weight per item of the row: slot j sums the weight on item j over the rows that
/// have it (0 elsewhere), for j below the report's width; items past the longest training row are not summed.
/// </remarks>
internal static class AttentionSums
{
    public static (IReadOnlyList<IReadOnlyList<double>> Sums, long Rows) Measure(IDataView scored, IReadOnlyList<string> tasks, IReadOnlyList<int> widths)
    {
        var columns = tasks.Select(t => scored.Schema[OutputColumnNames.Attention(t)]).ToArray();
        var sums = widths.Select(w => new double[w]).ToArray();
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
                {
                    if (j < sums[k].Length)
                        sums[k][j] += v;
                }
            }
            rows++;
        }
        return (sums, rows);
    }
}
