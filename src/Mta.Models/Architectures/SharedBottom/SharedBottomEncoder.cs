using Mta.Models.Modules;
using Mta.Models.Onnx;
using Mta.Models.Options;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mta.Models.Architectures.SharedBottom;

/// <summary>Shared-bottom: one shared MLP whose output goes to every task unchanged (weight 1 on its one source).</summary>
internal sealed class SharedBottomEncoder : TaskEncoder
{
    private readonly GroupedMlp trunk;
    private readonly int _taskCount;

    public SharedBottomEncoder(int featureCount, int taskCount, NetworkOptions options) : base(nameof(SharedBottomEncoder))
    {
        _taskCount = taskCount;
        trunk = new GroupedMlp(nameof(trunk), 1, featureCount, options.ExpertHiddenSizes, options.Activation, options.ResolvedDropout());
        RegisterComponents();
    }

    public override int OutputWidth => trunk.OutputWidth;

    public override int AttentionWidth => 1;

    public override IReadOnlyList<Parameter> LastSharedLayer => [trunk.LastWeight];

    public override IReadOnlyList<string> SourceNames(IReadOnlyList<string> tasks) => ["shared trunk"];

    public override TaskEncoding forward(Tensor z)
    {
        var s = trunk.forward(z.unsqueeze(0));                                                // [1, B, u]
        long batch = z.shape[0];
        return new(s.expand(_taskCount, batch, s.shape[2]), ones(batch, _taskCount, 1, dtype: z.dtype, device: z.device));
    }

    public override (string PerTask, string Weights) ExportOnnx(OnnxNetworkWriter w, string z)
    {
        var s = trunk.ExportOnnx(w, w.AsSharedGroup(z), "trunk");                             // [1, N, u]
        var batch = w.Node("Shape", [z], "batch", OnnxAttr.Int("start", 0), OnnxAttr.Int("end", 1));
        var perTaskShape = w.Node("Concat", [w.Int64s("tasks", _taskCount), batch, w.Int64s("trunk_width", OutputWidth)], "per_task_shape", OnnxAttr.Int("axis", 0));
        var perTask = w.Node("Expand", [s, perTaskShape], "per_task");
        var weightsShape = w.Node("Concat", [batch, w.Int64s("tasks_by_one", _taskCount, 1L)], "weights_shape", OnnxAttr.Int("axis", 0));
        var weights = w.Node("Expand", [w.Graph.Constant("one", [1f], 1, 1, 1), weightsShape], "shared_weights");
        return (perTask, weights);
    }
}
