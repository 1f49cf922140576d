using Microsoft.ML;
using Microsoft.ML.Data;
using Mta.MLNet.Data;
using Mta.MLNet.Schema;
using Mta.Models.Onnx;
using Mta.Models.Tasks;

namespace Mta.MLNet.Scoring;

/// <summary>
/// The fitted model as a chain of ML.NET transformers: ApplyOnnxModel over the single-row graph; each per-row
/// value (a one-slot vector) made a scalar by <see cref="VectorOfOneToScalar"/>; per multiclass task,
/// MapValueToKey from the predicted class name to a key whose key values are the class names; temporary
/// columns dropped.
/// </summary>
/// <remarks>
/// Why: ML.NET 5 keeps ModelSaveContext's members internal, so a third-party transformer cannot write its own
/// model entries. Saving this chain instead gives a file that <c>mlContext.Model.Load</c> reads back (with this
/// assembly present, which ML.NET loads by itself) and that predicts the same values. It also serves
/// PredictionEngine, and its output schema is the one the batched <c>Transform</c> promises.
/// </remarks>
internal static class MlNetScoringChain
{
    public static ITransformer Build(MLContext mlContext, IDataView schemaSource, string featureColumnName,
        IReadOnlyList<TaskSpec> tasks, byte[] singleRowOnnx)
    {
        var columns = OnnxLayouts.SingleRowColumns(tasks).ToArray();
        var steps = new List<IEstimator<ITransformer>>
        {
            TempModelFileRetry.Run(() => mlContext.Transforms.ApplyOnnxModel(
                outputColumnNames: columns.Select(c => c.OnnxName).ToArray(), inputColumnNames: [featureColumnName],
                modelBytes: new MemoryStream(singleRowOnnx, writable: false))),
        };

        var temporary = new List<string> { VectorOfOneToScalar.VectorColumn, VectorOfOneToScalar.ScalarColumn };
        foreach (var column in columns.Where(c => c.IsPerRowValue))
        {
            steps.Add(mlContext.Transforms.CopyColumns(VectorOfOneToScalar.VectorColumn, column.OnnxName));
            steps.Add(Scalarize(mlContext, column.Kind));
            steps.Add(mlContext.Transforms.CopyColumns(column.ColumnName, VectorOfOneToScalar.ScalarColumn));
            temporary.Add(column.OnnxName);
        }

        foreach (var task in tasks.Where(t => t.Kind == TaskKind.Multiclass))
        {
            var classNames = mlContext.Data.LoadFromEnumerable(task.ClassLabels!.Select(c => new ClassName { Value = c }));
            steps.Add(mlContext.Transforms.Conversion.MapValueToKey(
                OutputColumnNames.PredictedLabel(task.Name), OutputColumnNames.PredictedLabelText(task.Name), keyData: classNames));
            temporary.Add(OutputColumnNames.PredictedLabelText(task.Name));
        }
        steps.Add(mlContext.Transforms.DropColumns([.. temporary]));

        // Nothing here learns from rows: fit each step on an empty view that only carries the schema.
        IDataView empty = new RowIndexFilterDataView(schemaSource, _ => false);
        var transformers = new List<ITransformer>(steps.Count);
        foreach (var step in steps)
        {
            var transformer = step.Fit(empty);
            empty = transformer.Transform(empty);
            transformers.Add(transformer);
        }
        return new TransformerChain<ITransformer>([.. transformers]);
    }

    private static IEstimator<ITransformer> Scalarize(MLContext mlContext, OnnxOutputKind kind) => kind switch
    {
        OnnxOutputKind.PredictedFlag => mlContext.Transforms.CustomMapping(new VectorOfOneToScalar.BooleanFactory().GetMapping(), VectorOfOneToScalar.BooleanContract),
        OnnxOutputKind.PredictedClassLabel => mlContext.Transforms.CustomMapping(new VectorOfOneToScalar.TextFactory().GetMapping(), VectorOfOneToScalar.TextContract),
        _ => mlContext.Transforms.CustomMapping(new VectorOfOneToScalar.SingleFactory().GetMapping(), VectorOfOneToScalar.SingleContract),
    };

    private sealed class ClassName
    {
        public string Value { get; set; } = "";
    }
}
