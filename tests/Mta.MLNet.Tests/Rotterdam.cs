using Microsoft.ML;
using Microsoft.ML.Data;

namespace Mta.MLNet.Tests;

/// <summary>The bundled Rotterdam cohort, loaded as the quickstart does.</summary>
internal static class Rotterdam
{
    public static readonly string[] FeatureColumns = ["year", "age", "meno", "size", "grade", "nodes", "pgr", "er", "hormon", "chemo"];

    public static IDataView Load(MLContext mlContext) => mlContext.Data.CreateTextLoader(
        [
            new TextLoader.Column("year", DataKind.Single, 1),
            new TextLoader.Column("age", DataKind.Single, 2),
            new TextLoader.Column("meno", DataKind.Single, 3),
            new TextLoader.Column("size", DataKind.String, 4),
            new TextLoader.Column("grade", DataKind.Single, 5),
            new TextLoader.Column("nodes", DataKind.Single, 6),
            new TextLoader.Column("pgr", DataKind.Single, 7),
            new TextLoader.Column("er", DataKind.Single, 8),
            new TextLoader.Column("hormon", DataKind.Single, 9),
            new TextLoader.Column("chemo", DataKind.Single, 10),
            new TextLoader.Column("recur", DataKind.Boolean, 12),
            new TextLoader.Column("death", DataKind.Boolean, 14),
        ],
        separatorChar: ',', hasHeader: true, allowQuoting: true).Load(Path.Combine(AppContext.BaseDirectory, "data", "rotterdam.csv"));

    public static IEstimator<ITransformer> Featurize(MLContext mlContext) =>
        mlContext.Transforms.Categorical.OneHotEncoding("size").Append(mlContext.Transforms.Concatenate("Features", FeatureColumns));
}
