using Mta.Models.Weighting;
using Mta.Models.Data;
using Mta.Models.Options;
using Mta.Models.Training;

namespace Mta.Models.Tests;

/// <summary>Training on streamed rows: the same model as in memory when nothing differs, and learning with chunks and a hold-out.</summary>
[TestClass]
public sealed class StreamingTests
{
    [TestMethod]
    public void OneChunkWithoutHoldOutGivesTheInMemoryModelBitForBit()
    {
        var train = SyntheticTasks.Make(600, 5, seed: 31);
        // One pass per epoch, so the source's read count is 1 + epochs.
        var options = new TrainingOptions { Epochs = 3, ValidationFraction = 0, Seed = 2, StreamingChunkRows = 1000, MinimumEpochSteps = 1 };
        using var inMemory = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, TestNetworks.One, options);
        var source = new ChunkedSource(train);
        using var streamed = MultiTaskTrainer.TrainStreaming(SyntheticTasks.Specs, source, null, TestNetworks.One, options);

        var probe = SyntheticTasks.Make(40, 5, seed: 32);
        CollectionAssert.AreEqual(Flatten(inMemory, probe), Flatten(streamed, probe));
        Assert.AreEqual(1 + 3, source.Passes, "one statistics pass, then one pass per epoch");
    }

    [TestMethod]
    [DataRow(LossWeightingKind.Fixed)]
    [DataRow(LossWeightingKind.PCGrad)]
    [DataRow(LossWeightingKind.FAMO)]
    public void ManySmallChunksWithAHoldOutStillLearnEveryTask(LossWeightingKind weighting)
    {
        var train = SyntheticTasks.Make(1500, 6, seed: 1, missingLabelRate: 0.2);
        var test = SyntheticTasks.Make(500, 6, seed: 2);
        var source = new ChunkedSource(train);
        using var model = MultiTaskTrainer.TrainStreaming(SyntheticTasks.Specs, source, null, TestNetworks.One,
            new TrainingOptions { Epochs = 40, BatchSize = 64, Seed = 7, StreamingChunkRows = 256, StreamingValidationRows = 100, LossWeighting = weighting });
        var p = model.Predict(test.Features, test.RowCount);

        Assert.IsGreaterThan(0.9, Metrics.Auc(p[0].Probabilities!, test.Labels[0]), "binary AUC");
        Assert.IsGreaterThan(Metrics.MajorityAccuracy(test.Labels[1]) + 0.2, Metrics.Accuracy(p[1].PredictedIndex!, test.Labels[1]), "multiclass accuracy");
        Assert.IsGreaterThan(0.8, Metrics.RSquared(p[2].Score!, test.Labels[2]), "regression R²");
        Assert.IsTrue(model.History.All(e => e.ValidationLoss is not null), "rows were held out for early stopping");
        Assert.IsLessThanOrEqualTo(256, source.LargestChunk, "never more than a chunk read at once");
    }

    [TestMethod]
    public void TheDefaultDropoutIsSizedToTheStreamedRows()
    {
        // The row count is only known after the statistics pass; the model must still train with, and keep, the
        // dropout for 12,000 rows (0.2 × 10,000 / 12,000), as in memory.
        var source = new ChunkedSource(SyntheticTasks.Make(12_000, 4, seed: 5));
        using var model = MultiTaskTrainer.TrainStreaming(SyntheticTasks.Specs, source, null, TestNetworks.One,
            new TrainingOptions { Epochs = 1, BatchSize = 512, ValidationFraction = 0, StreamingChunkRows = 4096 });

        Assert.AreEqual(TestNetworks.One.ResolvedDropout(12_000), model.NetworkOptions.Dropout);
        Assert.AreEqual(0.2f * 10_000 / 12_000, model.NetworkOptions.Dropout!.Value, 1e-7f);
    }

    [TestMethod]
    public void ATaskWithNoLabelInTheWholeStreamIsRejected()
    {
        var train = SyntheticTasks.Make(200, 4, seed: 3);
        Array.Fill(train.Labels[2], float.NaN);
        var error = Assert.ThrowsExactly<ArgumentException>(() =>
            MultiTaskTrainer.TrainStreaming(SyntheticTasks.Specs, new ChunkedSource(train), null, TestNetworks.One, new TrainingOptions { Epochs = 1 }));
        StringAssert.Contains(error.Message, "'r'");
    }

    private static float[] Flatten(MultiTaskModel model, MultiTaskData probe) =>
        model.Predict(probe.Features, probe.RowCount).SelectMany(p => (p.Score ?? []).Concat(p.Probabilities ?? []).Concat(p.Attention)).ToArray();

    /// <summary>Serves an in-memory data set as a row source, counting passes and chunk sizes.</summary>
    internal sealed class ChunkedSource(MultiTaskData data) : IMultiTaskRowSource
    {
        public int FeatureCount => data.FeatureCount;

        public int Passes { get; private set; }

        public int LargestChunk { get; private set; }

        public IEnumerable<MultiTaskData> ReadChunks(int maxRows, CancellationToken cancellationToken)
        {
            Passes++;
            for (int start = 0; start < data.RowCount; start += maxRows)
            {
                var rows = Enumerable.Range(start, Math.Min(maxRows, data.RowCount - start)).ToArray();
                LargestChunk = Math.Max(LargestChunk, rows.Length);
                yield return data.Select(rows);
            }
        }
    }
}
