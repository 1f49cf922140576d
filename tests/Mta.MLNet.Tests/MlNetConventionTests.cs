using Microsoft.ML;
using Microsoft.ML.Data;
using Mta.Models.Options;

namespace Mta.MLNet.Tests;

/// <summary>The MLContext's seed is the default training seed; epochs are written to mlContext.Log.</summary>
[TestClass]
public sealed class MlNetConventionTests
{
    private static float[] Scores(MLContext ml, TrainingOptions training)
    {
        var data = Synthetic.Load(ml, 300, seed: 11);
        var estimator = ml.MultiTask().Attention(new MultiTaskOptions { Network = TestNetworks.One, Tasks = [new TaskColumn("Amount")], Training = training });
        using var model = estimator.Fit(data);
        return model.Transform(data).GetColumn<float>("Amount.Score").ToArray();
    }

    private static readonly TrainingOptions Short = new() { Epochs = 2 };

    [TestMethod]
    public void TheContextSeedIsTheTrainingSeed()
    {
        var fromContext = Scores(new MLContext(seed: 7), Short);
        var explicitSeven = Scores(new MLContext(), Short with { Seed = 7 });
        var fromOtherContext = Scores(new MLContext(seed: 8), Short);

        CollectionAssert.AreEqual(explicitSeven, fromContext);
        CollectionAssert.AreNotEqual(fromContext, fromOtherContext);
    }

    [TestMethod]
    public void AnExplicitSeedWinsOverTheContextSeed()
    {
        var explicitThree = Scores(new MLContext(seed: 7), Short with { Seed = 3 });
        var three = Scores(new MLContext(seed: 3), Short);

        CollectionAssert.AreEqual(three, explicitThree);
    }

    [TestMethod]
    public void AContextWithoutSeedTrainsWithTheDefaultSeedEveryTime()
    {
        var first = Scores(new MLContext(), Short);
        var second = Scores(new MLContext(), Short);
        var defaultSeed = Scores(new MLContext(seed: 1), Short with { Seed = TrainingOptions.DefaultSeed });

        CollectionAssert.AreEqual(first, second);
        CollectionAssert.AreEqual(defaultSeed, first);
    }

    [TestMethod]
    public void EveryEpochIsWrittenToTheContextLogAndToProgress()
    {
        var ml = new MLContext(seed: 1);
        var lines = TrainingLogLines.Capture(ml);
        var reports = new List<int>();
        var data = Synthetic.Load(ml, 300, seed: 11);
        using var model = ml.MultiTask().Attention(new MultiTaskOptions
        {
            Network = TestNetworks.One,
            Tasks = [new TaskColumn("Flag"), new TaskColumn("Amount")],
            Training = new TrainingOptions { Epochs = 3, EarlyStoppingPatience = 0 },
            Progress = new SynchronousProgress(r => reports.Add(r.Epoch)),
        }).Fit(data);

        CollectionAssert.AreEqual(new[] { 1, 2, 3 }, reports);
        var epochLines = lines.Where(l => l.StartsWith("Epoch ", StringComparison.Ordinal)).ToArray();
        Assert.HasCount(3, epochLines);
        StringAssert.StartsWith(epochLines[0], "Epoch 1/3: train loss ");
        StringAssert.Contains(epochLines[0], "Flag ");
        StringAssert.Contains(epochLines[0], "Amount ");
        StringAssert.Contains(epochLines[2], "rows/s");
        Assert.IsTrue(lines.Any(l => l.StartsWith("Training ", StringComparison.Ordinal) && l.Contains("seed 1", StringComparison.Ordinal)),
            "the first line names the seed the context gave");
    }

    private sealed class SynchronousProgress(Action<Mta.Models.Training.EpochReport> report) : IProgress<Mta.Models.Training.EpochReport>
    {
        public void Report(Mta.Models.Training.EpochReport value) => report(value);
    }
}
