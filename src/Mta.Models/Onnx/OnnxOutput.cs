namespace Mta.Models.Onnx;

/// <summary>One requested graph output.</summary>
/// <param name="Task">Task name.</param>
/// <param name="Kind">What to output.</param>
/// <param name="Name">The graph output's name.</param>
/// <param name="SlotNames">
/// Optional names of the vector's slots, written the way ML.NET's OnnxTransformer reads them back as slot-name
/// annotations (a node named <c>mlnet.{Name}.SlotNames</c> carrying them in <c>keys_strings</c>).
/// </param>
public sealed record OnnxOutput(string Task, OnnxOutputKind Kind, string Name, IReadOnlyList<string>? SlotNames = null);
