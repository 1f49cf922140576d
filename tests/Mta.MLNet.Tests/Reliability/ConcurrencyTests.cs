using Microsoft.ML;
using Microsoft.ML.Data;

namespace Mta.MLNet.Tests.Reliability;

/// <summary>
/// One fitted transformer shared by 8 threads: cursors over its Transform, and one PredictionEngine per thread (as
/// ML.NET requires), give exactly the sequential results.
/// </summary>
[TestClass]
public sealed class ConcurrencyTests
{
    private const int Threads = 8;

    private sealed class Input
    {
        [VectorType(4)] public float[] Features { get; set; } = [];
    }

    private sealed class Output
    {
        [ColumnName("Flag.Probability")] public float Flag { get; set; }
        [ColumnName("Amount.Score")] public float Amount { get; set; }
    }

    [TestMethod]
    public void EightThreadsScoreExactlyAsOne()
    {
        var ml = new MLContext(seed: 1);
        var train = Synthetic.Load(ml, 300, seed: 61);
        using var model = ml.MultiTask().Attention(new MultiTaskOptions
        {
            Network = TestNetworks.One,
            Tasks = [new TaskColumn("Flag"), new TaskColumn("Amount")],
            Training = new() { Epochs = 3, Seed = 2 },
            ScoringBatchSize = 64,
        }).Fit(train);
        var test = Synthetic.Load(ml, 500, seed: 62);
        var expectedFlag = model.Transform(test).GetColumn<float>("Flag.Probability").ToArray();
        var expectedAmount = model.Transform(test).GetColumn<float>("Amount.Score").ToArray();
        var rows = test.GetColumn<float[]>("Features").ToArray();

        using var start = new Barrier(Threads);
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            try
            {
                start.SignalAndWait();
                // Half the threads run cursors over the batched Transform, half a PredictionEngine each.
                if (t % 2 == 0)
                {
                    var flags = model.Transform(test).GetColumn<float>("Flag.Probability").ToArray();
                    if (!flags.SequenceEqual(expectedFlag))
                        failures.Add($"thread {t}: Transform differs");
                }
                else
                {
                    var engine = ml.Model.CreatePredictionEngine<Input, Output>(model);
                    var engineExpected = ml.Model.CreatePredictionEngine<Input, Output>(model);
                    for (int i = 0; i < rows.Length; i++)
                    {
                        var prediction = engine.Predict(new Input { Features = rows[i] });
                        if (Math.Abs(prediction.Flag - expectedFlag[i]) > 1e-6 || Math.Abs(prediction.Amount - expectedAmount[i]) > 1e-4 * Math.Max(1, Math.Abs(expectedAmount[i])))
                        {
                            failures.Add($"thread {t}: row {i} {prediction.Flag} vs {expectedFlag[i]}");
                            break;
                        }
                    }
                }
            }
            catch (Exception e)
            {
                failures.Add($"thread {t}: {e.GetType().Name}: {e.Message}");
            }
        })).ToArray();
        foreach (var thread in threads)
            thread.Start();
        foreach (var thread in threads)
            thread.Join();

        Assert.IsEmpty(failures, string.Join("\n", failures));
    }
}
