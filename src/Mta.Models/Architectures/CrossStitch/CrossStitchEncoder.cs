using Mta.Models.Modules;
using Mta.Models.Onnx;
using Mta.Models.Options;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mta.Models.Architectures.CrossStitch;

/// <summary>
/// Cross-stitch networks (Misra et al., CVPR 2016): one MLP column per task, all reading the input, and after every
/// layer a learned T×T matrix α that lets each column take in the others, x̃_k = Σ_j α_kj x_j. How much the tasks
/// share is learned per layer instead of fixed by the architecture: α = I keeps T separate networks, equal entries
/// make one shared one.
/// </summary>
/// <remarks>
/// The columns of a layer are one <see cref="GroupedLinear"/> over T groups (layer, activation, dropout, then the
/// stitch), so a layer is one batched product. α starts at the paper's "0.9 / 0.1" point: 0.9 on the diagonal and
/// 0.1 / (T − 1) off it, each row summing to 1 (a single task's 1×1 stitch starts at 1, the identity). The task's
/// weights output is row k of the last layer's stitch: how much task k reads each task's column, the same for every
/// row of input.
/// </remarks>
internal sealed class CrossStitchEncoder : TaskEncoder
{
    private const double OwnColumnShare = 0.9;

    private readonly ModuleList<GroupedLinear> columns = new();
    private readonly ParameterList stitches = new();
    private readonly Activation _activation;
    private readonly double _dropout;
    private readonly int _taskCount;

    public CrossStitchEncoder(int featureCount, int taskCount, NetworkOptions options) : base(nameof(CrossStitchEncoder))
    {
        _taskCount = taskCount;
        _activation = options.Activation;
        _dropout = options.ResolvedDropout();
        int fanIn = featureCount;
        for (int l = 0; l < options.ExpertHiddenSizes.Count; l++)
        {
            int width = options.ExpertHiddenSizes[l];
            columns.Add(new GroupedLinear($"layer{l}", taskCount, fanIn, width));
            stitches.Add(new Parameter(InitialStitch(taskCount)));
            fanIn = width;
        }
        OutputWidth = fanIn;
        RegisterComponents();
    }

    public override int OutputWidth { get; }

    public override int AttentionWidth => _taskCount;

    /// <summary>
    /// The last column layer (all T columns, one parameter): every task's loss reaches all of it through the last
    /// stitch. The last stitch matrix would not do, since task k's loss reaches only its row k of it, so no entry
    /// there is shared by two tasks.
    /// </summary>
    public override IReadOnlyList<Parameter> LastSharedLayer => [columns[^1].Weight];

    public override IReadOnlyList<string> SourceNames(IReadOnlyList<string> tasks) => tasks.Select(t => $"{t} column").ToArray();

    /// <summary>0.9 on the diagonal, 0.1 / (T − 1) elsewhere; [[1]] for one task.</summary>
    internal static Tensor InitialStitch(int taskCount)
    {
        if (taskCount == 1)
            return ones(1, 1);
        double other = (1 - OwnColumnShare) / (taskCount - 1);
        var values = new float[taskCount * taskCount];
        for (int k = 0; k < taskCount; k++)
        {
            for (int j = 0; j < taskCount; j++)
                values[k * taskCount + j] = (float)(k == j ? OwnColumnShare : other);
        }
        return tensor(values, [taskCount, taskCount]);
    }

    public override TaskEncoding forward(Tensor z)
    {
        var x = z.unsqueeze(0);                                                     // [1, B, d]: every column reads the input
        for (int l = 0; l < columns.Count; l++)
        {
            x = Activations.Apply(columns[l].forward(x), _activation);            // [T, B, u_l]
            if (_dropout > 0)
                x = nn.functional.dropout(x, _dropout, training);
            x = Stitch(x, stitches[l]);
        }
        long batch = z.shape[0];
        var weights = stitches[^1].unsqueeze(0).expand(batch, _taskCount, _taskCount);   // [B, T, T]
        return new(x, weights);
    }

    /// <summary>x̃_k = Σ_j α_kj x_j: x [T, B, u] → [T, B, u].</summary>
    private static Tensor Stitch(Tensor x, Tensor alpha)
    {
        long tasks = x.shape[0], batch = x.shape[1], width = x.shape[2];
        using var flat = x.reshape(tasks, batch * width);
        using var mixed = alpha.matmul(flat);
        return mixed.view(tasks, batch, width);
    }

    public override (string PerTask, string Weights) ExportOnnx(OnnxNetworkWriter w, string z)
    {
        var x = w.AsSharedGroup(z);
        for (int l = 0; l < columns.Count; l++)
        {
            x = w.Activate(columns[l].ExportOnnx(w, x, $"column{l}"), _activation, $"column{l}");
            var columnShape = w.Int64s($"column{l}_shape", _taskCount, -1, columns[l].Weight.shape[2]);
            var flat = w.Node("Reshape", [x, w.Int64s("tasks_by_rest", _taskCount, -1)], $"column{l}_flat");
            var mixed = w.Node("MatMul", [w.Constant($"stitch{l}", stitches[l]), flat], $"stitch{l}_mixed");
            x = w.Node("Reshape", [mixed, columnShape], $"stitch{l}_out");
        }
        var batch = w.Node("Shape", [z], "batch", OnnxAttr.Int("start", 0), OnnxAttr.Int("end", 1));
        var weightsShape = w.Node("Concat", [batch, w.Int64s("tasks_by_tasks", _taskCount, _taskCount)], "stitch_weights_shape", OnnxAttr.Int("axis", 0));
        using var lastStitch = stitches[^1].unsqueeze(0);
        var weights = w.Node("Expand", [w.Constant("last_stitch", lastStitch), weightsShape], "stitch_weights");
        return (x, weights);
    }
}
