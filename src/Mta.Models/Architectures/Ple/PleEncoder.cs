using Mta.Models.Onnx;
using Mta.Models.Options;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mta.Models.Architectures.Ple;

/// <summary>
/// Progressive Layered Extraction (Tang et al., RecSys 2020): a stack of <see cref="ExtractionLevel"/>s; with one
/// level it is CGC (customized gate control). Task-specific experts keep what only one task needs out of the
/// shared experts, which the paper shows reduces the seesaw between weakly related tasks.
/// </summary>
/// <remarks>The task's weights output is its final-level gate: its own experts first, then the shared ones.</remarks>
internal sealed class PleEncoder : TaskEncoder
{
    private readonly ModuleList<ExtractionLevel> levels = new();

    private readonly int _taskExperts;
    private readonly int _sharedExperts;

    public PleEncoder(int featureCount, int taskCount, int levelCount, NetworkOptions options) : base(nameof(PleEncoder))
    {
        _taskExperts = options.Ple.TaskExpertCount;
        _sharedExperts = options.ExpertCount;
        int width = featureCount;
        for (int l = 0; l < levelCount; l++)
        {
            var level = new ExtractionLevel($"level{l}", width, taskCount, options.Ple.TaskExpertCount, options.ExpertCount, options, isFinal: l == levelCount - 1);
            levels.Add(level);
            width = level.OutputWidth;
        }
        RegisterComponents();
    }

    public override int OutputWidth => levels[^1].OutputWidth;

    public override int AttentionWidth => levels[^1].GateWidth;

    public override IReadOnlyList<Parameter> LastSharedLayer => [levels[^1].LastExpertWeight];

    public override IReadOnlyList<string> SourceNames(IReadOnlyList<string> tasks) =>
    [
        .. tasks.SelectMany(t => Enumerable.Range(1, _taskExperts).Select(j => $"{t} expert {j}")),
        .. Enumerable.Range(1, _sharedExperts).Select(j => $"shared expert {j}"),
    ];

    /// <summary>Task k's gate: its own experts, then the shared ones (as in <see cref="ExtractionLevel"/>).</summary>
    public override IReadOnlyList<int> SourceIndex(int task)
    {
        int taskCount = levels[0].TaskCount;
        return [.. Enumerable.Range(task * _taskExperts, _taskExperts), .. Enumerable.Range(taskCount * _taskExperts, _sharedExperts)];
    }

    public override TaskEncoding forward(Tensor z)
    {
        var x = z.unsqueeze(0);
        Tensor? taskWeights = null;
        foreach (var level in levels)
            (x, taskWeights) = level.forward(x);
        return new(x, taskWeights!.transpose(0, 1));
    }

    public override (string PerTask, string Weights) ExportOnnx(OnnxNetworkWriter w, string z)
    {
        var x = w.AsSharedGroup(z);
        string taskWeights = "";
        for (int l = 0; l < levels.Count; l++)
            (x, taskWeights) = levels[l].ExportOnnx(w, x, first: l == 0);
        return (x, w.SwapFirstAxes(taskWeights, "gate_weights"));
    }
}
