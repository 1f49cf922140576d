using Mta.Models.Onnx;
using Mta.Models.Options;
using Mta.Models.Training;

namespace Mta.Models.Tests;

/// <summary>Convolutional attention: ONNX parity, learning where to look, options, checkpoints.</summary>
[TestClass]
public sealed class ConvolutionalAttentionTests
{
    private static NetworkOptions Network(Activation activation = Activation.Relu) => new()
    {
        Architecture = Architecture.ConvolutionalAttention,
        Image = new ImageOptions { ImageShape = [2, 8, 8], ConvChannels = [4, 6] },
        TowerHiddenSizes = [8],
        Activation = activation,
    };

    [TestMethod]
    [DataRow(Activation.Relu)]
    [DataRow(Activation.Silu)]
    [DataRow(Activation.Tanh)]
    public void OnnxMatchesTorchSharp(Activation activation)
    {
        var train = SyntheticImages.Make(120, 2, 8, seed: 1);
        using var model = MultiTaskTrainer.Train(SyntheticImages.Specs, train, null, Network(activation), new TrainingOptions { Epochs = 2, Seed = 4 });
        var probe = SyntheticImages.Make(23, 2, 8, seed: 2);
        probe.Features[5] = float.NaN;
        var expected = model.Predict(probe.Features, probe.RowCount);

        var actual = OnnxParityTests.Run(model.ExportOnnx(), probe.Features, probe.RowCount, 128);

        AssertClose(expected[0].Probabilities!, (float[])actual["quadrant_probabilities"]);
        AssertClose(expected[1].Probabilities!, (float[])actual["present_probability"]);
        AssertClose(expected[0].Attention, (float[])actual["quadrant_attention"]);
        Assert.HasCount(probe.RowCount * 4, expected[0].Attention, "a 2×2 grid of cells after two pooling blocks");
    }

    [TestMethod]
    public void ItLearnsWhereToLookForBothTasks()
    {
        var train = SyntheticImages.Make(1500, 1, 12, seed: 5);
        var test = SyntheticImages.Make(400, 1, 12, seed: 6);
        var network = Network() with { Image = Network().Image with { ImageShape = [1, 12, 12], ConvChannels = [8, 8] } };
        using var model = MultiTaskTrainer.Train(SyntheticImages.Specs, train, null, network, new TrainingOptions { Epochs = 15, Seed = 7, LearningRate = 3e-3 });   // 15 epochs: a faster rate than the default
        var predictions = model.Predict(test.Features, test.RowCount);

        int labelled = 0, correct = 0, presentCorrect = 0;
        for (int i = 0; i < test.RowCount; i++)
        {
            presentCorrect += predictions[1].PredictedIndex![i] == (long)test.Labels[1][i] ? 1 : 0;
            if (float.IsNaN(test.Labels[0][i]))
                continue;
            labelled++;
            correct += predictions[0].PredictedIndex![i] == (long)test.Labels[0][i] ? 1 : 0;
        }
        // Trivial baselines: 25% for the quadrant, 80% for presence (always "present").
        Assert.IsGreaterThan(0.8, correct / (double)labelled, "quadrant accuracy");
        Assert.IsGreaterThan(0.9, presentCorrect / (double)test.RowCount, "presence accuracy");
    }

    [TestMethod]
    public void MissingOrWrongImageShapeIsNamed()
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => (Network() with { Image = Network().Image with { ImageShape = null } }).Validate());
        StringAssert.Contains(e.Message, "Image.ImageShape");
        var train = SyntheticImages.Make(20, 2, 8, seed: 8);
        var wrong = Assert.ThrowsExactly<ArgumentException>(() =>
            MultiTaskTrainer.Train(SyntheticImages.Specs, train, null, Network() with { Image = Network().Image with { ImageShape = [1, 8, 8] } }, new TrainingOptions { Epochs = 1 }));
        StringAssert.Contains(wrong.Message, "ImageShape [1, 8, 8]");
        var small = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            MultiTaskTrainer.Train(SyntheticImages.Specs, train, null, Network() with { Image = Network().Image with { ConvChannels = [4, 4, 4, 4] } }, new TrainingOptions { Epochs = 1 }));
        StringAssert.Contains(small.Message, "ConvChannels");
    }

    [TestMethod]
    public void ACheckpointedRunResumesToTheSameModelIncludingBatchNormStatistics()
    {
        var train = SyntheticImages.Make(200, 2, 8, seed: 9);
        var probe = SyntheticImages.Make(20, 2, 8, seed: 10);
        string folder = Path.Combine(Path.GetTempPath(), $"mta-conv-ckpt-{Guid.NewGuid():N}");
        try
        {
            var options = new TrainingOptions { Epochs = 4, BatchSize = 32, Seed = 3 };
            float[] expected;
            using (var uninterrupted = MultiTaskTrainer.Train(SyntheticImages.Specs, train, null, Network(), options))
                expected = uninterrupted.Predict(probe.Features, probe.RowCount).SelectMany(p => p.Probabilities!).ToArray();

            using var cancel = new CancellationTokenSource();
            var checkpointed = options with { CheckpointDirectory = folder };
            var progress = new CheckpointTests.SynchronousProgress(e => { if (e.Epoch == 2) cancel.Cancel(); });
            Assert.ThrowsExactly<OperationCanceledException>(() => MultiTaskTrainer.Train(SyntheticImages.Specs, train, null, Network(), checkpointed, progress, cancel.Token));
            using var resumed = MultiTaskTrainer.Train(SyntheticImages.Specs, train, null, Network(), checkpointed);

            CollectionAssert.AreEqual(expected, resumed.Predict(probe.Features, probe.RowCount).SelectMany(p => p.Probabilities!).ToArray());
        }
        finally
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.HasCount(expected.Length, actual);
        for (int i = 0; i < expected.Length; i++)
            Assert.AreEqual(expected[i], actual[i], 1e-4, $"element {i}");
    }
}
