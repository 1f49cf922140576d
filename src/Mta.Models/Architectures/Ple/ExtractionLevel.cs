using Mta.Models.Modules;
using Mta.Models.Onnx;
using Mta.Models.Options;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mta.Models.Architectures.Ple;

/// <summary>
/// One customized gate control level (Tang et al., RecSys 2020): T·Es task-specific experts and Ec shared
/// experts, all in one grouped MLP (groups 0..T·Es−1 belong to tasks, k·Es.. for task k; the rest are shared).
/// Task k's gate mixes its own Es experts and the Ec shared ones; a non-final level also has a shared gate over
/// all experts, whose mix is the next level's shared input.
/// </summary>
/// <remarks>
/// Input: [1, B, in] at the first level (everyone reads x), else [T + 1, B, in] (rows 0..T−1 each task's
/// representation, row T the shared one). Output: [T, B, u] at the final level, else [T + 1, B, u].
/// </remarks>
internal sealed class ExtractionLevel : nn.Module<Tensor, (Tensor Next, Tensor TaskWeights)>
{
    private readonly GroupedMlp experts;
    private readonly GroupedLinear task_gates;
    private readonly GroupedLinear? shared_gate;
    private readonly Tensor expert_inputs;   // [G]: which input row each expert reads
    private readonly Tensor task_experts;    // [T·J]: task k's J = Es + Ec experts, task after task
    private readonly int _taskCount;
    private readonly int _gateWidth;
    private readonly string _prefix;

    public ExtractionLevel(string name, int inputWidth, int taskCount, int taskExperts, int sharedExperts, NetworkOptions options, bool isFinal)
        : base(name)
    {
        _prefix = name;
        _taskCount = taskCount;
        _gateWidth = taskExperts + sharedExperts;
        int groups = taskCount * taskExperts + sharedExperts;
        experts = new GroupedMlp(nameof(experts), groups, inputWidth, options.ExpertHiddenSizes, options.Activation, options.ResolvedDropout());
        task_gates = new GroupedLinear(nameof(task_gates), taskCount, inputWidth, _gateWidth);
        if (!isFinal)
            shared_gate = new GroupedLinear(nameof(shared_gate), 1, inputWidth, groups);
        expert_inputs = tensor(Enumerable.Range(0, groups).Select(g => (long)(g < taskCount * taskExperts ? g / taskExperts : taskCount)).ToArray());
        task_experts = tensor(Enumerable.Range(0, taskCount)
            .SelectMany(k => Enumerable.Range(k * taskExperts, taskExperts).Concat(Enumerable.Range(taskCount * taskExperts, sharedExperts)))
            .Select(g => (long)g).ToArray());
        RegisterComponents();
    }

    public int OutputWidth => experts.OutputWidth;

    public int GateWidth => _gateWidth;

    public int TaskCount => _taskCount;

    public Parameter LastExpertWeight => experts.LastWeight;

    public override (Tensor Next, Tensor TaskWeights) forward(Tensor input)
    {
        bool first = input.shape[0] == 1;
        var h = experts.forward(first ? input : input.index_select(0, expert_inputs));                  // [G, B, u]
        var taskWeights = task_gates.forward(first ? input : input.narrow(0, 0, _taskCount)).softmax(-1);  // [T, B, J]
        long batch = h.shape[1], width = h.shape[2];
        var chosen = h.index_select(0, task_experts).view(_taskCount, _gateWidth, batch, width).permute(0, 2, 1, 3); // [T, B, J, u]
        var taskOut = taskWeights.unsqueeze(2).matmul(chosen).squeeze(2);                                  // [T, B, u]
        if (shared_gate is null)
            return (taskOut, taskWeights);
        var sharedWeights = shared_gate.forward(first ? input : input.narrow(0, _taskCount, 1)).softmax(-1); // [1, B, G]
        var sharedOut = sharedWeights.transpose(0, 1).matmul(h.transpose(0, 1)).transpose(0, 1);            // [1, B, u]
        return (cat([taskOut, sharedOut], 0), taskWeights);
    }

    public (string Next, string TaskWeights) ExportOnnx(OnnxNetworkWriter w, string input, bool first)
    {
        string p = _prefix;
        var expertInput = first ? input : w.Node("Gather", [input, Indices(w, $"{p}_expert_inputs", expert_inputs)], $"{p}_expert_input", OnnxAttr.Int("axis", 0));
        var h = experts.ExportOnnx(w, expertInput, $"{p}_expert");
        var taskInput = first ? input : w.Node("Slice", [input, w.Int64s("start0", 0), w.Int64s($"{p}_tasks_end", _taskCount), w.Int64s("axis0", 0)], $"{p}_task_input");
        var taskWeights = w.Node("Softmax", [task_gates.ExportOnnx(w, taskInput, $"{p}_task_gate")], $"{p}_task_weights", OnnxAttr.Int("axis", -1));
        var chosen = w.Node("Gather", [h, Indices(w, $"{p}_task_experts", task_experts)], $"{p}_chosen", OnnxAttr.Int("axis", 0));
        chosen = w.Node("Reshape", [chosen, w.Int64s($"{p}_chosen_shape", _taskCount, _gateWidth, -1, OutputWidth)], $"{p}_chosen_4d");
        chosen = w.Node("Transpose", [chosen], $"{p}_chosen_by_row", OnnxAttr.Ints("perm", 0, 2, 1, 3));
        var weights4d = w.Node("Unsqueeze", [taskWeights, w.Int64s("axis2", 2)], $"{p}_task_weights_4d");
        var taskOut = w.Node("Squeeze", [w.Node("MatMul", [weights4d, chosen], $"{p}_task_mix"), w.Int64s("axis2", 2)], $"{p}_task_out");
        if (shared_gate is null)
            return (taskOut, taskWeights);
        var sharedInput = first ? input : w.Node("Slice", [input, w.Int64s($"{p}_tasks_end", _taskCount), w.Int64s($"{p}_shared_end", _taskCount + 1), w.Int64s("axis0", 0)], $"{p}_shared_input");
        var sharedWeights = w.Node("Softmax", [shared_gate.ExportOnnx(w, sharedInput, $"{p}_shared_gate")], $"{p}_shared_weights", OnnxAttr.Int("axis", -1));
        var sharedOut = w.Node("MatMul", [w.SwapFirstAxes(sharedWeights, $"{p}_shared_weights_by_row"), w.SwapFirstAxes(h, $"{p}_experts_by_row")], $"{p}_shared_mix");
        sharedOut = w.SwapFirstAxes(sharedOut, $"{p}_shared_out");
        return (w.Node("Concat", [taskOut, sharedOut], $"{p}_next", OnnxAttr.Int("axis", 0)), taskWeights);
    }

    private static string Indices(OnnxNetworkWriter w, string hint, Tensor indices) =>
        w.Int64s(hint, indices.data<long>().ToArray());
}
