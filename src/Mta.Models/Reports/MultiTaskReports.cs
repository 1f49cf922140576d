using Mta.Models.Data;
using Mta.Models.Training;

namespace Mta.Models.Reports;

/// <summary>Builds a <see cref="MultiTaskReport"/> for a freshly trained model.</summary>
internal static class MultiTaskReports
{
    // Mean attention is a mean: a large sample of rows tells as much as all of them and bounds the cost on big data.
    private const int MaxRows = 50_000;

    public static MultiTaskReport Create(MultiTaskModel model, MultiTaskData train)
    {
        var encoder = model.Network.Encoder;
        var names = model.Tasks.Select(t => t.Name).ToArray();
        int rows = Math.Min(train.RowCount, MaxRows);
        var predictions = model.Predict(train.Features[..(rows * train.FeatureCount)], rows);
        var sums = new IReadOnlyList<double>[names.Length];
        for (int k = 0; k < names.Length; k++)
        {
            int width = model.AttentionWidth;
            var sum = new double[width];
            var attention = predictions[k].Attention;
            for (int r = 0; r < rows; r++)
            {
                for (int j = 0; j < width; j++)
                    sum[j] += attention[r * width + j];
            }
            sums[k] = sum;
        }
        var empty = new MultiTaskReport
        {
            Architecture = model.NetworkOptions.Architecture,
            LossWeighting = model.TrainingOptions.LossWeighting,
            Tasks = names,
            Sources = encoder.SourceNames(names),
            SourceIndex = names.Select((_, k) => encoder.SourceIndex(k)).ToArray(),
            Rows = 0,
            MeanAttention = [],
            LossWeights = model.LossWeights,
            History = model.History,
        };
        return empty.WithAttention(sums, rows);
    }
}
