using Mta.Models.Options;
using Mta.Models.Training;
using Mta.Models.Weighting;

namespace Mta.Models.Tests;

/// <summary>A training run interrupted after a checkpoint and resumed ends with the very model of an uninterrupted run.</summary>
[TestClass]
public sealed class CheckpointTests
{
    [TestMethod]
    [DataRow(LossWeightingKind.Fixed)]
    [DataRow(LossWeightingKind.Uncertainty)]
    [DataRow(LossWeightingKind.GradNorm)]
    [DataRow(LossWeightingKind.DynamicWeightAverage)]
    [DataRow(LossWeightingKind.RandomLossWeighting)]
    [DataRow(LossWeightingKind.FAMO)]
    [DataRow(LossWeightingKind.PCGrad)]
    [DataRow(LossWeightingKind.NashMTL)]
    public void InterruptedAndResumedRunGivesTheSameModelBitForBit(LossWeightingKind weighting)
    {
        var train = SyntheticTasks.Make(400, 5, seed: 21);
        var probe = SyntheticTasks.Make(50, 5, seed: 22);
        var network = TestNetworks.One with { Dropout = 0.2f };   // dropout: the random generator must be restored too
        string folder = NewFolder();
        try
        {
            var options = new TrainingOptions { Epochs = 6, BatchSize = 64, Seed = 9, LossWeighting = weighting };
            float[] expected;
            using (var uninterrupted = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, network, options))
                expected = Flatten(uninterrupted, probe);

            // "Kill" the run during epoch 4: epochs 1-3 are checkpointed, epoch 4 is lost.
            using var cancel = new CancellationTokenSource();
            var checkpointed = options with { CheckpointDirectory = folder };
            var progress = new SynchronousProgress(e => { if (e.Epoch == 3) cancel.Cancel(); });
            Assert.ThrowsExactly<OperationCanceledException>(() => MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, network, checkpointed, progress, cancel.Token));
            Assert.IsTrue(File.Exists(Path.Combine(folder, "mta-checkpoint.bin")));
            Assert.HasCount(1, Directory.GetFiles(folder), "no temporary files left behind");

            using var resumed = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, network, checkpointed);
            CollectionAssert.AreEqual(expected, Flatten(resumed, probe), "resumed = uninterrupted, bit for bit");
            Assert.HasCount(6, resumed.History, "the history covers the epochs before and after the interruption");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    public void ACheckpointOfAnotherRunIsRejectedWithItsPath()
    {
        string folder = NewFolder();
        try
        {
            var options = new TrainingOptions { Epochs = 2, CheckpointDirectory = folder };
            using (MultiTaskTrainer.Train(SyntheticTasks.Specs, SyntheticTasks.Make(200, 5, seed: 1), null, TestNetworks.One, options)) { }
            var error = Assert.ThrowsExactly<InvalidOperationException>(() =>
                MultiTaskTrainer.Train(SyntheticTasks.Specs, SyntheticTasks.Make(200, 5, seed: 2), null, TestNetworks.One, options));
            StringAssert.Contains(error.Message, Path.Combine(folder, "mta-checkpoint.bin"));
            StringAssert.Contains(error.Message, "another training run");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    [DataRow("MTA-CHECKPOINT-3", "written in checkpoint format MTA-CHECKPOINT-3 by another version")]
    [DataRow("something else", "not an Mta.Models checkpoint")]
    public void ACheckpointInAnotherFormatIsRejectedSayingWhichWithItsPath(string magic, string expected)
    {
        // A checkpoint left by an older version (the format grows with what training keeps) must say so, not look corrupt.
        string folder = NewFolder();
        try
        {
            string path = Path.Combine(folder, "mta-checkpoint.bin");
            using (var writer = new BinaryWriter(File.Create(path)))
            {
                writer.Write(magic);
                writer.Write("rest of an old checkpoint");
            }
            var options = new TrainingOptions { Epochs = 1, CheckpointDirectory = folder };
            var error = Assert.ThrowsExactly<InvalidOperationException>(() =>
                MultiTaskTrainer.Train(SyntheticTasks.Specs, SyntheticTasks.Make(100, 5, seed: 1), null, TestNetworks.One, options));
            StringAssert.Contains(error.Message, path);
            StringAssert.Contains(error.Message, expected);
            Assert.AreEqual("rest of an old checkpoint", ReadSecondString(path), "the rejected checkpoint is left as it was");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string ReadSecondString(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        reader.ReadString();
        return reader.ReadString();
    }

    [TestMethod]
    public void AFinishedRunCanBeTrainedFurtherByRaisingEpochs()
    {
        string folder = NewFolder();
        try
        {
            var train = SyntheticTasks.Make(300, 5, seed: 3);
            var options = new TrainingOptions { Epochs = 2, CheckpointDirectory = folder, EarlyStoppingPatience = 0, Seed = 4 };
            using (MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, TestNetworks.One, options)) { }
            using var longer = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, TestNetworks.One, options with { Epochs = 4 });
            using var direct = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, TestNetworks.One, options with { Epochs = 4, CheckpointDirectory = null });
            Assert.HasCount(4, longer.History);
            var probe = SyntheticTasks.Make(20, 5, seed: 5);
            CollectionAssert.AreEqual(Flatten(direct, probe), Flatten(longer, probe));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    public void ResumingAfterTheScheduleLoweredTheLearningRateKeepsTheLowerRate()
    {
        var train = SyntheticTasks.Make(400, 5, seed: 21);
        var probe = SyntheticTasks.Make(50, 5, seed: 22);
        var options = new TrainingOptions
        {
            Epochs = 12, BatchSize = 64, Seed = 9, LearningRate = 0.05, EarlyStoppingPatience = 0,
            LearningRateDecay = 0.5, LearningRatePatience = 1,
            WeightAverageDecay = 0,   // the averaged weights keep improving at this rate: the schedule would not start within 12 epochs
        };
        float[] expected;
        int firstLowered;
        using (var uninterrupted = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, TestNetworks.One, options))
        {
            expected = Flatten(uninterrupted, probe);
            firstLowered = uninterrupted.History.First(e => e.LearningRate < 0.05).Epoch;
        }

        string folder = NewFolder();
        try
        {
            // Interrupt right after the epoch whose checkpoint first holds a lowered rate.
            using var cancel = new CancellationTokenSource();
            var checkpointed = options with { CheckpointDirectory = folder };
            var progress = new SynchronousProgress(e => { if (e.Epoch == firstLowered - 1) cancel.Cancel(); });
            Assert.ThrowsExactly<OperationCanceledException>(() => MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, TestNetworks.One, checkpointed, progress, cancel.Token));

            using var resumed = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, TestNetworks.One, checkpointed);
            Assert.IsLessThan(0.05, resumed.History[firstLowered - 1].LearningRate);
            CollectionAssert.AreEqual(expected, Flatten(resumed, probe), "resumed = uninterrupted, bit for bit");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string NewFolder()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"mta-checkpoint-test-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static float[] Flatten(MultiTaskModel model, Mta.Models.Data.MultiTaskData probe) =>
        model.Predict(probe.Features, probe.RowCount)
            .SelectMany(p => (p.Score ?? []).Concat(p.Probabilities ?? []).Concat(p.Attention)).ToArray();

    /// <summary>
    /// Trains once straight through and once interrupted after <paramref name="interruptAfter"/> epochs and resumed
    /// from its checkpoint; the two models must predict <paramref name="probe"/> identically, bit for bit.
    /// </summary>
    internal static void AssertResumedEqualsUninterrupted(Mta.Models.Data.MultiTaskData train, Mta.Models.Data.MultiTaskData probe,
        NetworkOptions network, TrainingOptions options, int interruptAfter)
    {
        float[] expected;
        using (var uninterrupted = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, network, options))
            expected = Flatten(uninterrupted, probe);
        string folder = NewFolder();
        try
        {
            using var cancel = new CancellationTokenSource();
            var checkpointed = options with { CheckpointDirectory = folder };
            var progress = new SynchronousProgress(e => { if (e.Epoch == interruptAfter) cancel.Cancel(); });
            Assert.ThrowsExactly<OperationCanceledException>(() => MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, network, checkpointed, progress, cancel.Token));
            using var resumed = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, network, checkpointed);
            CollectionAssert.AreEqual(expected, Flatten(resumed, probe), "resumed = uninterrupted, bit for bit");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; the test needs the callback before the next epoch starts.</summary>
    internal sealed class SynchronousProgress(Action<EpochReport> action) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => action(value);
    }
}
