using Microsoft.ML;
using Microsoft.ML.Data;

namespace Mta.MLNet.Tests;

/// <summary>A small seeded table with a binary, a multiclass (text, to be keyed) and a regression label.</summary>
internal static class Synthetic
{
    public sealed class Row
    {
        [VectorType(4)] public float[] Features { get; set; } = [];
        public bool Flag { get; set; }
        public string Grade { get; set; } = "";
        public float Amount { get; set; }
    }

    public static IDataView Load(MLContext mlContext, int rows, int seed)
    {
        var rng = new Random(seed);
        var list = new List<Row>(rows);
        string[] grades = ["A", "B", "C"];
        for (int i = 0; i < rows; i++)
        {
            var x = Enumerable.Range(0, 4).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
            double s = x[0] + 0.5 * x[1] - x[2];
            list.Add(new Row
            {
                Features = x,
                Flag = s + 0.2 * (rng.NextDouble() - 0.5) > 0,
                Grade = grades[s < -0.4 ? 0 : s < 0.4 ? 1 : 2],
                Amount = (float)(50 + 10 * s + 3 * x[3] + rng.NextDouble()),
            });
        }
        return mlContext.Data.LoadFromEnumerable(list);
    }

    /// <summary>Grade → key (classes in order of first appearance), then the multi-task estimator.</summary>
    public static EstimatorChain<MultiTaskTransformer> Pipeline(MLContext mlContext, MultiTaskOptions? options = null)
    {
        options ??= new MultiTaskOptions { Network = TestNetworks.One };
        options.Tasks = [new TaskColumn("Flag"), new TaskColumn("Grade"), new TaskColumn("Amount")];
        options.Training = options.Training with { Epochs = 30, Seed = 5 };
        return mlContext.Transforms.Conversion.MapValueToKey("Grade")
            .Append(mlContext.MultiTask().Attention(options));
    }
}
