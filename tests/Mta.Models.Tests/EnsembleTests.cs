using Mta.Models.Data;
using Mta.Models.Modules;
using Mta.Models.Options;
using Mta.Models.Tasks;
using Mta.Models.Tasks.Heads;
using Mta.Models.Training;
using static TorchSharp.torch;

namespace Mta.Models.Tests;

/// <summary>The parameter-efficient ensemble (<see cref="NetworkOptions.EnsembleMembers"/>).</summary>
[TestClass]
public sealed class EnsembleTests
{
    private static readonly NetworkOptions Ensemble = new() { EnsembleMembers = 4 };

    [TestMethod]
    public void TheMembersMeanIsTheMeanOfTheirPredictions()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(3);
        var members = randn(4, 6, 3).mul_(3);   // 4 members, 6 rows, 3 classes
        var multiclass = new TaskSpec("m", TaskKind.Multiclass, classCount: 3);
        AssertClose(members.softmax(-1).mean([0]), TaskHeads.For(multiclass).MeanOfMembers(members).softmax(-1));

        var logits = randn(4, 6, 1).mul_(4);
        var binary = new TaskSpec("b", TaskKind.Binary);
        AssertClose(logits.sigmoid().mean([0]), TaskHeads.For(binary).MeanOfMembers(logits).sigmoid());

        var values = randn(4, 6, 1);
        AssertClose(values.mean([0]), TaskHeads.For(new TaskSpec("r", TaskKind.Regression)).MeanOfMembers(values));
    }

    [TestMethod]
    public void AnEnsembleLearnsEveryTaskKind()
    {
        var train = SyntheticTasks.Make(1500, 6, seed: 1);
        var test = SyntheticTasks.Make(500, 6, seed: 2);
        using var model = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, Ensemble, new TrainingOptions { Epochs = 30, BatchSize = 64, Seed = 7 });
        var p = model.Predict(test.Features, test.RowCount);
        Assert.IsGreaterThan(0.9, Metrics.Auc(p[0].Probabilities!, test.Labels[0]), "binary AUC");
        Assert.IsGreaterThan(Metrics.MajorityAccuracy(test.Labels[1]) + 0.2, Metrics.Accuracy(p[1].PredictedIndex!, test.Labels[1]), "multiclass accuracy");
        Assert.IsGreaterThan(0.8, Metrics.RSquared(p[2].Score!, test.Labels[2]), "regression R²");
        Assert.IsTrue(p[1].Probabilities!.Chunk(3).All(row => Math.Abs(row.Sum() - 1) < 1e-5), "class probabilities still sum to 1");
    }

    [TestMethod]
    public void AnEnsembleDiffersFromOneMemberAndResumesFromACheckpointBitForBit()
    {
        var train = SyntheticTasks.Make(300, 5, seed: 41);
        var probe = SyntheticTasks.Make(40, 5, seed: 42);
        var options = new TrainingOptions { Epochs = 4, BatchSize = 64, Seed = 8, EarlyStoppingPatience = 0 };
        using (var ensemble = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, Ensemble, options))
        using (var single = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, new NetworkOptions { EnsembleMembers = 1 }, options))
            CollectionAssert.AreNotEqual(single.Predict(probe.Features, probe.RowCount)[2].Score!, ensemble.Predict(probe.Features, probe.RowCount)[2].Score!);
        CheckpointTests.AssertResumedEqualsUninterrupted(train, probe, Ensemble, options, interruptAfter: 2);
    }

    [TestMethod]
    public void EveryMemberHasItsOwnOutputLayersAndTheEnsemblePredictsTheirMean()
    {
        var train = SyntheticTasks.Make(300, 5, seed: 41);
        var probe = SyntheticTasks.Make(20, 5, seed: 42);
        var network = Ensemble with { Dropout = 0 };
        using var model = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, network, new TrainingOptions { Epochs = 3, BatchSize = 64, Seed = 8 });
        var net = model.Network;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var z = net.Standardize(tensor(probe.Features).view(probe.RowCount, 5));
        net.train();   // without dropout, train mode differs from eval mode only in returning every member's output
        var members = net.ForwardStandardized(z).Heads[2].view(4, probe.RowCount);
        net.eval();
        var mean = net.ForwardStandardized(z).Heads[2].view(probe.RowCount);
        AssertClose(members.mean([0]), mean);
        var regression = members.data<float>().ToArray();
        for (int i = 1; i < 4; i++)
            Assert.IsTrue(Enumerable.Range(0, probe.RowCount).Any(r => Math.Abs(regression[i * probe.RowCount + r] - regression[r]) > 1e-3),
                $"member {i} predicts what member 0 does");

        // TabM's start with bins: a member scales each feature by one value, shared by all of that feature's bins.
        var scaling = Standardization.Fit(train.Features, 5);
        using var fresh = new MultiTaskNetwork(SyntheticTasks.Specs, 5, scaling, network, PiecewiseLinearBins.Fit(train.Features, 5, scaling, 16));
        var scale = fresh.named_parameters().Single(p => p.name == "member_scale").parameter.detach().data<float>().ToArray();
        var source = fresh.named_buffers().Single(b => b.name == "numeric.source").buffer.data<long>().ToArray();
        Assert.IsLessThan(source.Length, source.Distinct().Count(), "the features have several bins each");
        for (int m = 0; m < 4; m++)
            foreach (var feature in source.Select((f, slot) => (f, slot)).GroupBy(p => p.f))
                Assert.AreEqual(1, feature.Select(p => scale[m * source.Length + p.slot]).Distinct().Count(), $"member {m}, feature {feature.Key}");
        Assert.AreEqual(4 * 5, scale.Distinct().Count(), "every member and feature has its own start");
    }

    [TestMethod]
    public void AStreamedEnsembleLearns()
    {
        var train = SyntheticTasks.Make(1500, 6, seed: 1);
        var test = SyntheticTasks.Make(500, 6, seed: 2);
        using var model = MultiTaskTrainer.TrainStreaming(SyntheticTasks.Specs, new StreamingTests.ChunkedSource(train), null, Ensemble,
            new TrainingOptions { Epochs = 30, BatchSize = 64, Seed = 7, StreamingChunkRows = 256, StreamingValidationRows = 100 });
        var p = model.Predict(test.Features, test.RowCount);
        Assert.IsGreaterThan(0.9, Metrics.Auc(p[0].Probabilities!, test.Labels[0]), "binary AUC");
        Assert.IsGreaterThan(0.8, Metrics.RSquared(p[2].Score!, test.Labels[2]), "regression R²");
    }

    [TestMethod]
    public void MembersMustBePositiveAndForTableRows()
    {
        var data = SyntheticTasks.Make(50, 4, seed: 1);
        var zero = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            MultiTaskTrainer.Train(SyntheticTasks.Specs, data, null, new NetworkOptions { EnsembleMembers = 0 }, new TrainingOptions()));
        Assert.AreEqual("EnsembleMembers", zero.ParamName);
        var set = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new NetworkOptions
        {
            Architecture = Architecture.SetAttention, Set = new SetOptions { ItemWidth = 2 }, EnsembleMembers = 2,
        }.Validate());
        StringAssert.Contains(set.Message, "table rows");
    }

    private static void AssertClose(Tensor expected, Tensor actual)
    {
        var e = expected.data<float>().ToArray();
        var a = actual.data<float>().ToArray();
        Assert.HasCount(e.Length, a);
        for (int i = 0; i < e.Length; i++)
            Assert.AreEqual(e[i], a[i], 1e-5, $"value {i}");
    }
}
