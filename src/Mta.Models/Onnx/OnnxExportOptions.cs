using Mta.Models.Tasks;

namespace Mta.Models.Onnx;

/// <summary>Names and shapes of an exported ONNX graph.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>Name of the float input [N, d]. Default "features".</summary>
    public string InputName { get; init; } = "features";

    /// <summary>ONNX opset of the default domain (≥ 17). Default 17.</summary>
    public int Opset { get; init; } = 17;

    /// <summary>The outputs to emit; null: <see cref="DefaultOutputs"/>.</summary>
    public IReadOnlyList<OnnxOutput>? Outputs { get; init; }

    /// <summary>
    /// One row per call: input [1, d]; outputs without the batch axis: a per-row value becomes [1], a vector
    /// [K] or [E]. This is the form ML.NET's OnnxTransformer (which feeds one row at a time) maps to fixed-size
    /// vector columns; everything else should use the batched form.
    /// </summary>
    public bool SingleRow { get; init; }

    /// <summary>
    /// For a model whose rows are sets of items (<c>ItemWidth</c>): declare the input as rows of exactly this many
    /// values, and the attention outputs as that many items (what ML.NET's OnnxTransformer needs to feed a fixed-size
    /// vector column). Null (the default): rows of any number of items, a symbolic "values" dim (a variable-length
    /// column). Other models take null or their feature count.
    /// </summary>
    public int? RowWidth { get; init; }

    /// <summary>
    /// The input holds ML.NET key values (uint32: 1..K, 0 for missing), cast to float in the graph: how ML.NET's
    /// OnnxTransformer feeds a vector-of-key feature column (item ids of a set model). Default false: float input.
    /// </summary>
    public bool KeyInput { get; init; }

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
            switch (task.Kind)
            {
                case TaskKind.Binary:
                    outputs.Add(new(task.Name, OnnxOutputKind.Probability, $"{task.Name}_probability"));
                    break;
                case TaskKind.Multiclass:
                    outputs.Add(new(task.Name, OnnxOutputKind.Probabilities, $"{task.Name}_probabilities"));
                    outputs.Add(new(task.Name, OnnxOutputKind.PredictedIndex, $"{task.Name}_predicted_index"));
                    break;
                default:
                    outputs.Add(new(task.Name, OnnxOutputKind.Value, $"{task.Name}_value"));
                    break;
            }
            outputs.Add(new(task.Name, OnnxOutputKind.Attention, $"{task.Name}_attention"));
        }
        return outputs;
    }
}
