using Mta.Models.Data;
using Mta.Models.Tasks;
using static TorchSharp.torch;

namespace Mta.Models.Training;

/// <summary>A data set as tensors: features [N, d] and, per task, labels [N] (regression standardized, NaN = missing).</summary>
internal sealed class DeviceData : IDisposable
{
    private DeviceData(Tensor features, Tensor[] labels)
    {
        Features = features;
        Labels = labels;
    }

    public Tensor Features { get; }

    public Tensor[] Labels { get; }

    public long Rows => Features.shape[0];

    public static DeviceData Create(MultiTaskData data, IReadOnlyList<TaskSpec> tasks, IReadOnlyList<(float Mean, float Scale)> targetScaling)
    {
        var features = tensor(data.Features, [data.RowCount, data.FeatureCount]);
        var labels = new Tensor[tasks.Count];
        for (int k = 0; k < tasks.Count; k++)
        {
            var y = tensor(data.Labels[k]);
            if (tasks[k].Kind == TaskKind.Regression)
                y = y.sub_(targetScaling[k].Mean).div_(targetScaling[k].Scale);
            labels[k] = y;
        }
        return new DeviceData(features, labels);
    }

    public void Dispose()
    {
        Features.Dispose();
        foreach (var l in Labels)
            l.Dispose();
    }
}
