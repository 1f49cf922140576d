using Mta.Models.Onnx;

namespace Mta.MLNet.Scoring;

/// <summary>
/// The graph <see cref="MultiTaskTransformer.Transform"/> runs, many rows per ONNX Runtime call: float input [N, d]
/// (for sets of items, [N, any multiple of the item width]) and the requested outputs, each [N, …]. Made from the
/// single-row graph (<see cref="SingleRowGraph"/>) both after Fit and when a saved model is loaded, which holds only
/// that graph: one way to make it, so a loaded model scores as the fitted one did.
/// </summary>
internal static class BatchedGraph
{
    /// <summary>
    /// <paramref name="model"/> (a graph written by Mta.Models or shaped by <see cref="SingleRowGraph"/>) with exactly
    /// <paramref name="outputs"/> (slot names are not carried over). Nodes and initializers that no longer feed an
    /// output are dropped.
    /// </summary>
    /// <exception cref="FormatException">The bytes are not an ONNX model exported by Mta.Models (with task value metadata).</exception>
    public static byte[] From(byte[] model, IReadOnlyList<OnnxOutput> outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        var graph = ExportedGraph.Open(model);
        MultiTaskOnnxExporter.CheckOutputs(graph.Tasks, outputs);
        // Rows that are sets of items: any number of items, whatever the single-row graph declared. A key-valued input
        // (uint32, cast to float by the first node) takes float rows here, so that padding can be NaN.
        bool sets = graph.Items is not null;
        graph.SetInput(OnnxElementType.Float, -1, sets ? OnnxGraphBuilder.ValuesDim : graph.FeatureCount);
        long attentionDim = sets ? OnnxGraphBuilder.ItemsDim : graph.AttentionWidth;
        foreach (var output in outputs)
        {
            graph.AddNode("Identity", [graph.Value(output.Task, output.Kind)], output.Name, "relayout_" + output.Name);
            var (type, perRowDims) = MultiTaskOnnxExporter.Describe(graph.Task(output.Task), output.Kind, attentionDim);
            graph.AddOutput(output.Name, type, [-1, .. perRowDims]);
        }
        graph.Prune();
        return graph.ToBytes();
    }
}
