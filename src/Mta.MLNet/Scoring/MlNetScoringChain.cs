using Microsoft.ML;
using Microsoft.ML.Data;
using Mta.MLNet.Data;
using Mta.MLNet.Schema;
using Mta.Models.Tasks;

namespace Mta.MLNet.Scoring;

/// <summary>
/// The fitted model expressed with ML.NET's own transformers only: ApplyOnnxModel over the single-row graph,
/// then, per multiclass task, MapValueToKey from the predicted class name to a key with the class names as key
/// values, then the intermediate text columns dropped.
/// </summary>
/// <remarks>
/// Why: ML.NET 5 keeps ModelSaveContext's members internal, so a third-party transformer cannot write its own
/// model entries. Saving this chain instead gives a file that <c>mlContext.Model.Load</c> reads with plain
/// Microsoft.ML + Microsoft.ML.OnnxTransformer (this package not needed) and that predicts the same values.
/// It is also the row-to-row mapper behind PredictionEngine.
/// </remarks>
internal static class MlNetScoringChain
{
    public static ITransformer Build(MLContext mlContext, IDataView schemaSource, string featureColumnName,
        IReadOnlyList<ResolvedTask> tasks, byte[] singleRowOnnx)
    {
        var outputs = tasks.SelectMany(OnnxOutputNames).ToArray();
        IEstimator<ITransformer> pipeline = mlContext.Transforms.ApplyOnnxModel(
            outputColumnNames: outputs, inputColumnNames: [featureColumnName], modelBytes: new MemoryStream(singleRowOnnx, writable: false));
        var textColumns = new List<string>();
        foreach (var task in tasks.Where(t => t.Kind == TaskKind.Multiclass))
        {
            var classNames = mlContext.Data.LoadFromEnumerable(task.Spec.ClassLabels!.Select(c => new ClassName { Value = c }));
            pipeline = pipeline.Append(mlContext.Transforms.Conversion.MapValueToKey(
                OutputColumnNames.PredictedLabel(task.Name), OutputColumnNames.PredictedLabelText(task.Name), keyData: classNames));
            textColumns.Add(OutputColumnNames.PredictedLabelText(task.Name));
        }
        if (textColumns.Count > 0)
            pipeline = pipeline.Append(mlContext.Transforms.DropColumns([.. textColumns]));
        // Nothing here learns from rows: fit on an empty view that only carries the schema.
        return pipeline.Fit(mlContext.Data.TakeRows(schemaSource, 0));
    }

    private static IEnumerable<string> OnnxOutputNames(ResolvedTask task)
    {
        string t = task.Name;
        yield return OutputColumnNames.Score(t);
        if (task.Kind == TaskKind.Binary)
        {
            yield return OutputColumnNames.Probability(t);
            yield return OutputColumnNames.PredictedLabel(t);
        }
        else if (task.Kind == TaskKind.Multiclass)
        {
            yield return OutputColumnNames.PredictedLabelText(t);
        }
        yield return OutputColumnNames.Attention(t);
    }

    private sealed class ClassName
    {
        public string Value { get; set; } = "";
    }
}
