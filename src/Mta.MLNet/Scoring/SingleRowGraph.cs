using System.Globalization;
using Mta.Models.Onnx;

namespace Mta.MLNet.Scoring;

/// <summary>
/// Shapes the batched graph Mta.Models exports into the one ML.NET's OnnxTransformer can feed, which backs
/// PredictionEngine and the saved model: one row per call, input [1, d]; outputs without the batch axis, a per-row
/// value as a one-slot vector [1] (<see cref="SingleRowColumn.OnnxName"/>); class names as slot names.
/// </summary>
/// <remarks>
/// What OnnxTransformer needs, and why each rule is here:
/// <list type="bullet">
/// <item>It feeds a fixed-size column only to a fixed input dim and a variable-length one only to a symbolic dim: a set
/// model fitted on a fixed-size column declares that row width (recorded as <see cref="RowWidthKey"/>).</item>
/// <item>It feeds a vector of keys (item ids) as uint32 (1..K, 0 for missing): the input is then uint32, cast to float
/// by the first node.</item>
/// <item>It reads a symbolic first dim of an output as the batch axis and would make it a one-slot vector: a per-row
/// vector of symbolic length (a set's items) keeps a leading 1.</item>
/// <item>It turns the <c>keys_strings</c> of a node named <c>mlnet.{column}.SlotNames</c> into the column's slot names:
/// a LabelEncoder carries them legally; its output is unused.</item>
/// </list>
/// All task tensors stay in the graph, so <see cref="BatchedGraph"/> can make the batched graph from this one.
/// </remarks>
internal static class SingleRowGraph
{
    /// <summary>
    /// Metadata key of the values per row a set model's single-row graph takes; absent when its rows may have any
    /// number of items (a variable-length column).
    /// </summary>
    public const string RowWidthKey = "mta.row_width";

    private const string MlDomain = "ai.onnx.ml";

    /// <param name="exported">A graph written by Mta.Models (any outputs).</param>
    /// <param name="columns">The outputs, in order (<see cref="OnnxLayouts.SingleRowColumns"/>).</param>
    /// <param name="rowWidth">For a set model fitted on a fixed-size column, its width; else null.</param>
    /// <param name="keyInput">The feature column is a vector of keys.</param>
    public static byte[] From(byte[] exported, IReadOnlyList<SingleRowColumn> columns, int? rowWidth, bool keyInput)
    {
        var graph = ExportedGraph.Open(exported);
        MultiTaskOnnxExporter.CheckOutputs(graph.Tasks, columns.Select(c => new OnnxOutput(c.Task, c.Kind, c.OnnxName)).ToArray());
        var (rowDim, attentionDim) = RowDims(graph, rowWidth);
        graph.SetInput(keyInput ? OnnxElementType.UInt32 : OnnxElementType.Float, 1, rowDim);
        // BatchedGraph makes the input float again, where this Cast float → float is a no-op.
        if (keyInput)
            graph.InsertAfterInput("Cast", "key_values", OnnxAttr.Int("to", (long)OnnxElementType.Float));

        bool slotNames = false;
        foreach (var column in columns)
        {
            var (type, perRowDims) = MultiTaskOnnxExporter.Describe(graph.Task(column.Task), column.Kind, attentionDim);
            long[] rowShape = perRowDims.Length == 0 ? [1] : perRowDims.Any(d => d < 0) ? [1, .. perRowDims] : perRowDims;
            long[] reshapeTo = rowShape.Select(d => d < 0 ? -1 : d).ToArray();      // Reshape infers the symbolic dim
            graph.AddNode("Reshape", [graph.Value(column.Task, column.Kind), graph.Int64s("row_shape", reshapeTo)], column.OnnxName, "Reshape");
            graph.AddOutput(column.OnnxName, type, rowShape);
            if (column.SlotNames is { Count: > 0 } slots)
            {
                AddSlotNames(graph, column.OnnxName, slots);
                slotNames = true;
            }
        }
        if (slotNames)
            graph.ImportOpset(MlDomain, 2);
        if (graph.Items is not null && rowWidth is int width)
            graph.SetMetadata(RowWidthKey, width.ToString(CultureInfo.InvariantCulture));
        return graph.ToBytes();
    }

    /// <summary>The input's per-row dim and the attention outputs' dim: fixed, or symbolic for rows that are sets of any length.</summary>
    private static (long Row, long Attention) RowDims(ExportedGraph graph, int? rowWidth)
    {
        if (graph.Items is not { } layout)
        {
            if (rowWidth is int w && w != graph.FeatureCount)
                throw new ArgumentOutOfRangeException(nameof(rowWidth), rowWidth, $"The row width must be the model's feature count {graph.FeatureCount} (its rows are not sets of items).");
            return (graph.FeatureCount, graph.AttentionWidth);
        }
        if (rowWidth is null)
            return (OnnxGraphBuilder.ValuesDim, OnnxGraphBuilder.ItemsDim);
        if (rowWidth < layout.MinimumWidth || !layout.Fits(rowWidth.Value))
            throw new ArgumentOutOfRangeException(nameof(rowWidth), rowWidth, $"The row width must be {layout.Expected}, with at least one item.");
        return (rowWidth.Value, layout.Items(rowWidth.Value));
    }

    private static void AddSlotNames(ExportedGraph graph, string outputName, IReadOnlyList<string> slots)
    {
        var probe = graph.Strings("slot_names_probe", slots[0]);
        graph.AddNode("LabelEncoder", [probe], graph.FreeValueName("slot_names_unused"), $"mlnet.{outputName}.SlotNames", MlDomain, exactNodeName: true,
            OnnxAttr.Strings("keys_strings", [.. slots]),
            OnnxAttr.Ints("values_int64s", [.. Enumerable.Range(0, slots.Count).Select(i => (long)i)]),
            OnnxAttr.Int("default_int64", -1));
    }
}
