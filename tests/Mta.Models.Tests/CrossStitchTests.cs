using Mta.Models.Architectures.CrossStitch;
using Mta.Models.Options;
using Mta.Models.TorchSharpFixes;
using Mta.Models.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Mta.Models.Tests;

/// <summary>Cross-stitch: the stitch's start, what an identity stitch keeps apart, and what the report names.</summary>
[TestClass]
public sealed class CrossStitchTests
{
    private static readonly NetworkOptions Network = TestNetworks.One with { Architecture = Architecture.CrossStitch, ExpertHiddenSizes = [8, 6], Dropout = 0 };

    private static float[] Values(Tensor t)
    {
        using var c = t.detach().contiguous();
        return c.data<float>().ToArray();
    }

    [TestMethod]
    public void StitchesStartAtNineTenthsOnTheirOwnColumn()
    {
        CollectionAssert.AreEqual(new[] { 0.9f, 0.05f, 0.05f, 0.05f, 0.9f, 0.05f, 0.05f, 0.05f, 0.9f }, Values(CrossStitchEncoder.InitialStitch(3)));
        CollectionAssert.AreEqual(new[] { 0.9f, 0.1f, 0.1f, 0.9f }, Values(CrossStitchEncoder.InitialStitch(2)));
        CollectionAssert.AreEqual(new[] { 1f }, Values(CrossStitchEncoder.InitialStitch(1)), "one task: the identity");

        using var encoder = new CrossStitchEncoder(4, 3, Network);
        using var input = randn(new long[] { 5, 4 }, generator: new Generator(1));
        var weights = Values(encoder.forward(input).Weights);   // [B, T, T]: the last stitch, row k for task k
        var start = Values(CrossStitchEncoder.InitialStitch(3));
        for (int row = 0; row < 5; row++)
            CollectionAssert.AreEqual(start, weights.Skip(row * 9).Take(9).ToArray(), $"row {row}");
    }

    [TestMethod]
    public void WithIdentityStitchesATaskDoesNotSeeAnotherTasksColumn()
    {
        using var encoder = new CrossStitchEncoder(4, 3, Network);
        encoder.eval();
        var parameters = encoder.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var stitches = parameters.Where(p => p.Key.StartsWith("stitches.", StringComparison.Ordinal)).Select(p => p.Value).ToArray();
        var firstLayer = parameters.Single(p => p.Key.StartsWith("columns.0.", StringComparison.Ordinal) && p.Key.EndsWith("weight", StringComparison.Ordinal)).Value;
        Assert.HasCount(2, stitches, "one stitch after each layer");
        using var input = randn(new long[] { 7, 4 }, generator: new Generator(2));

        float[][] PerTask()
        {
            var perTask = Values(encoder.forward(input).PerTask);   // [T, B, u]
            return [.. Enumerable.Range(0, 3).Select(k => perTask.Skip(k * 7 * 6).Take(7 * 6).ToArray())];
        }
        void ChangeColumnOne()
        {
            using var noGrad = no_grad();
            firstLayer[1].add_(ones_like(firstLayer[1]), ConstantScalars.One);
        }

        var stitched = PerTask();
        ChangeColumnOne();
        var stitchedAfter = PerTask();
        CollectionAssert.AreNotEqual(stitched[0], stitchedAfter[0], "at the start, task 0 reads some of column 1");

        using (no_grad())
        {
            foreach (var stitch in stitches)
                stitch.copy_(eye(3));
        }
        var before = PerTask();
        ChangeColumnOne();
        var after = PerTask();
        CollectionAssert.AreEqual(before[0], after[0], "task 0 with identity stitches");
        CollectionAssert.AreEqual(before[2], after[2], "task 2 with identity stitches");
        CollectionAssert.AreNotEqual(before[1], after[1], "task 1 reads its own column");
    }

    [TestMethod]
    public void TheReportNamesTheTaskColumnsAndTheStitchRows()
    {
        var train = SyntheticTasks.Make(300, 5, seed: 5);
        using var model = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, Network, new TrainingOptions { Epochs = 3, Seed = 5 });
        CollectionAssert.AreEqual(new[] { "b column", "m column", "r column" }, model.Report.Sources.ToArray());
        var attention = model.Predict(train.Features[..10], 2);
        for (int k = 0; k < 3; k++)
        {
            Assert.HasCount(2 * 3, attention[k].Attention);
            CollectionAssert.AreEqual(attention[k].Attention[..3], attention[k].Attention[3..], "the stitch does not depend on the row");
        }
    }
}
