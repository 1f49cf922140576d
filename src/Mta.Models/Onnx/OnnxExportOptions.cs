using Mta.Models.Tasks;
using Mta.Models.Tasks.Heads;

namespace Mta.Models.Onnx;

/// <summary>
/// Names and outputs of an exported ONNX graph. The graph is batched: float input [N, d] (for rows that are sets of
/// items, [N, values] of any multiple of the item width), every output [N, …].
/// </summary>
public sealed record OnnxExportOptions
{
    /// <summary>Name of the float input [N, d]. Default "features".</summary>
    public string InputName { get; init; } = "features";

    /// <summary>ONNX opset of the default domain (≥ 17). Default 17.</summary>
    public int Opset { get; init; } = 17;

    /// <summary>The outputs to emit; null: <see cref="DefaultOutputs"/>.</summary>
    public IReadOnlyList<OnnxOutput>? Outputs { get; init; }

    /// <summary>Extra key/value pairs for the model's metadata_props.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>
    /// Per task: binary <c>{task}_probability</c> [N]; multiclass <c>{task}_probabilities</c> [N, K] and
    /// <c>{task}_predicted_index</c> [N]; regression <c>{task}_value</c> [N]; every task <c>{task}_attention</c> [N, E].
    /// </summary>
    public static IReadOnlyList<OnnxOutput> DefaultOutputs(IEnumerable<TaskSpec> tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        var outputs = new List<OnnxOutput>();
        foreach (var task in tasks)
        {
            outputs.AddRange(TaskHeads.For(task).DefaultOutputs(task));
            outputs.Add(new(task.Name, OnnxOutputKind.Attention, $"{task.Name}_attention"));
        }
        return outputs;
    }
}
