using Mta.Models.Options;
using Mta.Models.Tasks;
using Mta.Models.Training;

namespace Mta.Models.Tests;

/// <summary>
/// <see cref="TrainingOptions.PerTaskBestEpoch"/>: each task's own weights come from its own best validation epoch where they score better.
/// </summary>
[TestClass]
public sealed class PerTaskBestEpochTests
{
    private static readonly TrainingOptions Options = new() { Epochs = 12, BatchSize = 64, Seed = 5, EarlyStoppingPatience = 0, LearningRate = 0.02 };

    [TestMethod]
    public void WithOneTaskItChangesNothing()
    {
        var train = SyntheticTasks.Make(400, 5, seed: 51);
        var probe = SyntheticTasks.Make(40, 5, seed: 52);
        TaskSpec[] one = [SyntheticTasks.Specs[2]];
        var data = new Mta.Models.Data.MultiTaskData(train.Features, train.FeatureCount, [train.Labels[2]]);
        float[] Run(TrainingOptions o)
        {
            using var model = MultiTaskTrainer.Train(one, data, null, TestNetworks.One, o);
            return model.Predict(probe.Features, probe.RowCount)[0].Score!;
        }
        CollectionAssert.AreEqual(Run(Options), Run(Options with { PerTaskBestEpoch = true }));
    }

    [TestMethod]
    public void ATaskTakesItsOwnBestEpochOnlyWhereThatScoresBetterOnValidation()
    {
        var train = SyntheticTasks.Make(400, 5, seed: 53, missingLabelRate: 0.3);
        var validation = SyntheticTasks.Make(80, 5, seed: 57, missingLabelRate: 0.3);
        var probe = SyntheticTasks.Make(40, 5, seed: 54);
        using var plain = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, validation, TestNetworks.One, Options);
        using var own = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, validation, TestNetworks.One, Options with { PerTaskBestEpoch = true });
        double[] ValidationLosses(MultiTaskModel m)
        {
            using var rows = DeviceData.Create(validation, SyntheticTasks.Specs, m.TargetScaling, m.Network);
            return MultiTaskTrainer.Evaluate(m.Network, rows, SyntheticTasks.Specs);
        }
        var (plainLosses, ownLosses) = (ValidationLosses(plain), ValidationLosses(own));
        var plainPredictions = plain.Predict(probe.Features, probe.RowCount);
        var ownPredictions = own.Predict(probe.Features, probe.RowCount);
        float[] Values(TaskPrediction p) => [.. p.Score ?? [], .. p.Probabilities ?? []];
        int moved = 0;
        for (int k = 0; k < SyntheticTasks.Specs.Length; k++)
        {
            bool same = Values(plainPredictions[k]).SequenceEqual(Values(ownPredictions[k]));
            if (same)
                Assert.AreEqual(plainLosses[k], ownLosses[k], $"task {k} kept the overall best epoch's weights");
            else
            {
                Assert.IsLessThan(plainLosses[k], ownLosses[k], $"task {k} took other weights only because they score better");
                moved++;
            }
        }
        Assert.IsGreaterThan(0, moved, "at this learning rate some task does better with its own best epoch's weights");
    }

    [TestMethod]
    public void ResumedFromACheckpointItEqualsTheUninterruptedRun() =>
        CheckpointTests.AssertResumedEqualsUninterrupted(SyntheticTasks.Make(300, 5, seed: 55), SyntheticTasks.Make(40, 5, seed: 56),
            TestNetworks.One, Options with { Epochs = 6, PerTaskBestEpoch = true }, interruptAfter: 3);
}
