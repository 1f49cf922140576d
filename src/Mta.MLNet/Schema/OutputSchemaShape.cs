using Microsoft.ML;
using Microsoft.ML.Data;
using Mta.Models.Tasks;

namespace Mta.MLNet.Schema;

/// <summary>
/// The <see cref="SchemaShape"/> an unfitted multi-task estimator promises.
/// </summary>
/// <remarks>
/// <see cref="SchemaShape.Column"/> has no public constructor, so the output columns are described by ML.NET's
/// own public estimators: CopyColumns of the feature vector (a vector of Single), of a multiclass label (a key of
/// the same classes), and ConvertType of a label to Single or Boolean (a scalar of that type).
/// </remarks>
internal static class OutputSchemaShape
{
    public static SchemaShape Create(MLContext mlContext, SchemaShape input, string featureColumnName,
        IReadOnlyList<(string Task, TaskKind Kind, string LabelColumn)> tasks)
    {
        var columns = new List<InputOutputColumnPair>();
        var conversions = new List<(string Output, string Input, DataKind Kind)>();
        foreach (var (task, kind, label) in tasks)
        {
            switch (kind)
            {
                case TaskKind.Binary:
                    conversions.Add((OutputColumnNames.Score(task), label, DataKind.Single));
                    conversions.Add((OutputColumnNames.Probability(task), label, DataKind.Single));
                    conversions.Add((OutputColumnNames.PredictedLabel(task), label, DataKind.Boolean));
                    break;
                case TaskKind.Multiclass:
                    columns.Add(new(OutputColumnNames.Score(task), featureColumnName));
                    columns.Add(new(OutputColumnNames.PredictedLabel(task), label));
                    break;
                default:
                    conversions.Add((OutputColumnNames.Score(task), label, DataKind.Single));
                    break;
            }
            columns.Add(new(OutputColumnNames.Attention(task), featureColumnName));
        }

        var shape = input;
        foreach (var pair in columns)
            shape = mlContext.Transforms.CopyColumns(pair.OutputColumnName, pair.InputColumnName).GetOutputSchema(shape);
        foreach (var (output, inputColumn, dataKind) in conversions)
            shape = mlContext.Transforms.Conversion.ConvertType(output, inputColumn, dataKind).GetOutputSchema(shape);
        return shape;
    }
}
