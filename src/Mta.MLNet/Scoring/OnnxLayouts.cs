using Mta.MLNet.Schema;
using Mta.Models.Onnx;
using Mta.Models.Tasks;

namespace Mta.MLNet.Scoring;

/// <summary>
/// The ONNX forms of a fitted model, all with ML.NET column names as tensor names, all made one way:
/// <list type="number">
/// <item>Mta.Models exports the network as a plain batched graph (<see cref="Export"/>).</item>
/// <item><see cref="SingleRowGraph"/> shapes it for ML.NET's OnnxTransformer, which feeds one row at a time: it backs
/// PredictionEngine and is what the saved model holds.</item>
/// <item><see cref="BatchedGraph"/> makes from that the graph <see cref="MultiTaskTransformer.Transform"/> runs, many rows
/// per call (<see cref="Batched"/>), after Fit and when a saved model is loaded alike.</item>
/// </list>
/// </summary>
internal static class OnnxLayouts
{
    /// <summary>
    /// One output per column (<see cref="TaskOutputColumns"/>); the multiclass prediction is the class index, which the
    /// batched view turns into the key (index + 1): no string round trip in the fast path.
    /// </summary>
    public static IReadOnlyList<OnnxOutput> BatchedOutputs(IReadOnlyList<TaskSpec> tasks) =>
        TaskOutputColumns.For(tasks).Select(c => new OnnxOutput(c.Task, c.Source, c.Name)).ToArray();

    /// <summary>What the trained model is exported with: the input named after the feature column, the batched outputs.</summary>
    public static OnnxExportOptions Export(string featureColumnName, IReadOnlyList<TaskSpec> tasks) => new()
    {
        InputName = featureColumnName,
        Outputs = BatchedOutputs(tasks),
    };

    /// <summary>The batched scoring graph of a single-row graph (<see cref="SingleRowGraph"/>).</summary>
    public static byte[] Batched(byte[] singleRow, IReadOnlyList<TaskSpec> tasks) => BatchedGraph.From(singleRow, BatchedOutputs(tasks));

    /// <summary>
    /// The columns of the single-row graph, in output order (<see cref="TaskOutputColumns"/>). A per-row value comes
    /// out as a one-slot vector named <c>{column}.Vector</c> and is made a scalar by the saved chain.
    /// </summary>
    public static IEnumerable<SingleRowColumn> SingleRowColumns(IReadOnlyList<TaskSpec> tasks)
    {
        foreach (var task in tasks)
        {
            foreach (var column in TaskOutputColumns.For(task.Name, task.Kind))
            {
                yield return column.Type switch
                {
                    // ML.NET's MapValueToKey turns the class name into a key whose key values are the class names.
                    OutputColumnType.LabelKey => SingleRowColumn.PerRow(task.Name, OnnxOutputKind.PredictedClassLabel, OutputColumnNames.PredictedLabelText(task.Name)),
                    OutputColumnType.VectorOfSingle => new(task.Name, column.Source, column.Name, false,
                        column.Source == OnnxOutputKind.Probabilities ? task.ClassLabels : null),
                    _ => SingleRowColumn.PerRow(task.Name, column.Source, column.Name),
                };
            }
        }
    }
}

/// <summary>One output of the single-row graph and the ML.NET column it becomes.</summary>
/// <param name="Task">Task name.</param>
/// <param name="Kind">What the output holds.</param>
/// <param name="ColumnName">The ML.NET column it ends up as.</param>
/// <param name="IsPerRowValue">A one-slot vector that the saved chain turns into a scalar.</param>
/// <param name="SlotNames">Slot names of a vector output.</param>
internal sealed record SingleRowColumn(string Task, OnnxOutputKind Kind, string ColumnName, bool IsPerRowValue, IReadOnlyList<string>? SlotNames)
{
    public static SingleRowColumn PerRow(string task, OnnxOutputKind kind, string columnName) => new(task, kind, columnName, true, null);

    /// <summary>The ONNX output name: the column name, with ".Vector" for a one-slot vector.</summary>
    public string OnnxName => IsPerRowValue ? $"{ColumnName}.Vector" : ColumnName;
}
