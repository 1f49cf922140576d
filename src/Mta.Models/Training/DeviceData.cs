using TorchSharp;
using Mta.Models.Data;
using Mta.Models.Modules;
using Mta.Models.Tasks;
using Mta.Models.Tasks.Heads;
using static TorchSharp.torch;

namespace Mta.Models.Training;

/// <summary>
/// A data set as tensors, prepared once so that each training step does as few tensor ops as possible:
/// features already standardized [N, d]; per task the loss target [N] (missing → 0; regression standardized;
/// multiclass as int64 class indices) and the presence mask [N] (1 = label present).
/// </summary>
/// <remarks>
/// A step's cost on CPU is dominated by the number of tensor ops, not their size, for nets of this scale:
/// standardizing and masking per batch would add ~20 ops (and their autograd records) to every step.
/// </remarks>
internal sealed class DeviceData : IDisposable
{
    private DeviceData(Tensor features, Tensor[] targets, Tensor[] masks)
    {
        Features = features;
        Targets = targets;
        Masks = masks;
    }

    /// <summary>[N, d], standardized by the network's input scaling (non-finite → 0), ready for <see cref="MultiTaskNetwork.ForwardStandardized"/>.</summary>
    public Tensor Features { get; }

    /// <summary>Per task, [N] loss targets (0 where the label is missing).</summary>
    public Tensor[] Targets { get; }

    /// <summary>Per task, [N] float 1 where the label is present, else 0.</summary>
    public Tensor[] Masks { get; }

    public long Rows => Features.shape[0];

    public static DeviceData Create(MultiTaskData data, IReadOnlyList<TaskSpec> tasks, IReadOnlyList<(float Mean, float Scale)> targetScaling, MultiTaskNetwork net)
    {
        using var raw = tensor(data.Features, [data.RowCount, data.FeatureCount]);
        var features = net.Standardize(raw);
        var targets = new Tensor[tasks.Count];
        var masks = new Tensor[tasks.Count];
        for (int k = 0; k < tasks.Count; k++)
        {
            using var y = tensor(data.Labels[k]);
            using var present = y.isnan().logical_not();
            masks[k] = present.to_type(ScalarType.Float32);
            using var filled = where(present, y, zeros_like(y));
            targets[k] = TaskHeads.For(tasks[k]).LossTarget(filled, masks[k], targetScaling[k]);
        }
        return new DeviceData(features, targets, masks);
    }

    public void Dispose()
    {
        Features.Dispose();
        foreach (var t in Targets)
            t.Dispose();
        foreach (var m in Masks)
            m.Dispose();
    }
}
