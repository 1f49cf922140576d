namespace Mta.Models.Onnx;

/// <summary>One requested graph output.</summary>
/// <param name="Task">Task name.</param>
/// <param name="Kind">What to output.</param>
/// <param name="Name">The graph output's name.</param>
public sealed record OnnxOutput(string Task, OnnxOutputKind Kind, string Name);
