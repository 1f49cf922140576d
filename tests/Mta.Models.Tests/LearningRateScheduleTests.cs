using Mta.Models.Options;
using Mta.Models.Training;

namespace Mta.Models.Tests;

/// <summary>The step-by-step learning-rate schedule and Adam's β₂.</summary>
[TestClass]
public sealed class LearningRateScheduleTests
{
    [TestMethod]
    public void CosineRunsFromTheFullRateToZeroOverThePlannedSteps()
    {
        var schedule = new StepSchedule(new TrainingOptions { Epochs = 4, LearningRateSchedule = LearningRateSchedule.Cosine }, stepsPerEpoch: 10);
        Assert.AreEqual(1.0, schedule.ForEpoch(1)(0), 1e-12);
        Assert.AreEqual(0.5, schedule.ForEpoch(3)(0), 1e-12, "half way: step 20 of 40");
        Assert.AreEqual((1 + Math.Cos(Math.PI * 0.25)) / 2, schedule.ForEpoch(2)(0), 1e-12);
        Assert.AreEqual(0.0, schedule.ForEpoch(5)(0), 1e-12, "a step past the plan stays at zero");
        var constant = new StepSchedule(new TrainingOptions { Epochs = 4 }, stepsPerEpoch: 10);
        Assert.AreEqual(1.0, constant.ForEpoch(3)(5));
    }

    [TestMethod]
    public void UnderCosineEachEpochEndsAtALowerRateAndTheLastNearZero()
    {
        var train = SyntheticTasks.Make(300, 5, seed: 31);
        using var model = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, TestNetworks.One,
            new TrainingOptions { Epochs = 6, BatchSize = 64, Seed = 3, ValidationFraction = 0, LearningRate = 0.01, LearningRateSchedule = LearningRateSchedule.Cosine });
        var rates = model.History.Select(e => e.LearningRate).ToArray();
        for (int i = 1; i < rates.Length; i++)
            Assert.IsLessThan(rates[i - 1], rates[i], $"epoch {i + 1}");
        // 300 rows make 5 batches of 64; 7 passes reach the 32-step floor: 35 steps an epoch, 210 planned. The last
        // epoch's last step is step 209.
        Assert.AreEqual(0.01 * (1 + Math.Cos(Math.PI * 209 / 210)) / 2, rates[^1], 1e-12);
    }

    [TestMethod]
    public void CosineAndBeta2ChangeTrainingAndTheDefaultsDoNot()
    {
        var train = SyntheticTasks.Make(300, 5, seed: 32);
        var probe = SyntheticTasks.Make(40, 5, seed: 33);
        var options = new TrainingOptions { Epochs = 3, BatchSize = 64, Seed = 5 };
        float[] Run(TrainingOptions o)
        {
            using var model = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, TestNetworks.One, o);
            return model.Predict(probe.Features, probe.RowCount)[2].Score!;
        }
        var plain = Run(options);
        CollectionAssert.AreEqual(plain, Run(options with { LearningRateSchedule = LearningRateSchedule.Constant, AdamBeta2 = 0.999 }));
        CollectionAssert.AreNotEqual(plain, Run(options with { LearningRateSchedule = LearningRateSchedule.Cosine }));
        CollectionAssert.AreNotEqual(plain, Run(options with { AdamBeta2 = 0.95 }));
    }

    [TestMethod]
    public void ARunUnderCosineResumedFromACheckpointEqualsTheUninterruptedRun()
    {
        var train = SyntheticTasks.Make(300, 5, seed: 34);
        var options = new TrainingOptions { Epochs = 5, BatchSize = 64, Seed = 6, EarlyStoppingPatience = 0, LearningRateSchedule = LearningRateSchedule.Cosine, AdamBeta2 = 0.95 };
        CheckpointTests.AssertResumedEqualsUninterrupted(train, SyntheticTasks.Make(40, 5, seed: 35), TestNetworks.One, options, interruptAfter: 2);

        // Epochs set the cosine's length: a checkpoint of a 5-epoch schedule is not resumed as a 9-epoch one.
        string folder = Path.Combine(Path.GetTempPath(), $"mta-schedule-test-{Guid.NewGuid():N}");
        try
        {
            var checkpointed = options with { CheckpointDirectory = folder };
            using (MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, TestNetworks.One, checkpointed)) { }
            var e = Assert.ThrowsExactly<InvalidOperationException>(() =>
                MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, TestNetworks.One, checkpointed with { Epochs = 9 }));
            StringAssert.Contains(e.Message, "another training run");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
