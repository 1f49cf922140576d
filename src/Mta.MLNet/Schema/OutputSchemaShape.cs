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
        // Item ids as keys: a copy of the feature column would be a vector of keys; counting them gives a vector of Single.
        bool keys = input.FirstOrDefault(c => c.Name == featureColumnName) is { IsKey: true };
        var columns = new List<InputOutputColumnPair>();
        var vectorOfSingle = new List<string>();
        void AddVectorOfSingle(string column)
        {
            if (keys)
                vectorOfSingle.Add(column);
            else
                columns.Add(new(column, featureColumnName));
        }

        var conversions = new List<(string Output, string Input, DataKind Kind)>();
        foreach (var (task, kind, label) in tasks)
        {
            foreach (var column in TaskOutputColumns.For(task, kind))
            {
                switch (column.Type)
                {
                    case OutputColumnType.Single:
                        conversions.Add((column.Name, label, DataKind.Single));
                        break;
                    case OutputColumnType.Boolean:
                        conversions.Add((column.Name, label, DataKind.Boolean));
                        break;
                    case OutputColumnType.VectorOfSingle:
                        AddVectorOfSingle(column.Name);
                        break;
                    default:
                        columns.Add(new(column.Name, label));
                        break;
                }
            }
        }

        var shape = input;
        foreach (var pair in columns)
            shape = mlContext.Transforms.CopyColumns(pair.OutputColumnName, pair.InputColumnName).GetOutputSchema(shape);
        foreach (var output in vectorOfSingle)
            shape = mlContext.Transforms.Conversion.MapKeyToVector(output, featureColumnName, outputCountVector: true).GetOutputSchema(shape);
        foreach (var (output, inputColumn, dataKind) in conversions)
            shape = mlContext.Transforms.Conversion.ConvertType(output, inputColumn, dataKind).GetOutputSchema(shape);
        return shape;
    }
}
