using Mta.Models.Options;
using Mta.Models.Tasks;
using Mta.Models.Tasks.Heads;
using Mta.Models.Training;
using static TorchSharp.torch;

namespace Mta.Models.Tests;

/// <summary><see cref="TrainingOptions.LabelSmoothing"/>: the smoothed targets, and that validation keeps the plain loss.</summary>
[TestClass]
public sealed class LabelSmoothingTests
{
    [TestMethod]
    public void TheSmoothedLossesAreTheCrossEntropiesOfTheSmoothedTargets()
    {
        using var scope = NewDisposeScope();
        // Three classes, logits (2, 0, −1), label 0, ε = 0.3: target (0.8, 0.1, 0.1).
        double[] logits = [2, 0, -1];
        double logZ = Math.Log(logits.Sum(Math.Exp));
        double expected = -(0.8 * (2 - logZ) + 0.1 * (0 - logZ) + 0.1 * (-1 - logZ));
        var multiclass = TaskHeads.For(new TaskSpec("m", TaskKind.Multiclass, classCount: 3));
        var loss = multiclass.SmoothedPerRowLoss(tensor(new float[] { 2, 0, -1 }).view(1, 3), tensor(new long[] { 0 }), 0.3);
        Assert.AreEqual(expected, loss.item<float>(), 1e-5);

        // Binary logit 1.5, label 1, ε = 0.2: target 0.9.
        double p = 1 / (1 + Math.Exp(-1.5));
        var binary = TaskHeads.For(new TaskSpec("b", TaskKind.Binary));
        var binaryLoss = binary.SmoothedPerRowLoss(tensor(new float[] { 1.5f }).view(1, 1), tensor(new float[] { 1 }), 0.2);
        Assert.AreEqual(-(0.9 * Math.Log(p) + 0.1 * Math.Log(1 - p)), binaryLoss.item<float>(), 1e-5);

        // Zero is the plain loss, and a regression ignores it.
        var plain = multiclass.PerRowLoss(tensor(new float[] { 2, 0, -1 }).view(1, 3), tensor(new long[] { 0 }));
        Assert.AreEqual(plain.item<float>(), multiclass.SmoothedPerRowLoss(tensor(new float[] { 2, 0, -1 }).view(1, 3), tensor(new long[] { 0 }), 0).item<float>());
        var regression = TaskHeads.For(new TaskSpec("r", TaskKind.Regression));
        Assert.AreEqual(regression.PerRowLoss(tensor(new float[] { 1f }).view(1, 1), tensor(new float[] { 3 })).item<float>(),
            regression.SmoothedPerRowLoss(tensor(new float[] { 1f }).view(1, 1), tensor(new float[] { 3 }), 0.3).item<float>());
    }

    [TestMethod]
    public void SmoothingTrainsOnAndValidationJudgesThePlainLoss()
    {
        var train = SyntheticTasks.Make(1500, 6, seed: 1);
        var test = SyntheticTasks.Make(500, 6, seed: 2);
        using var model = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, TestNetworks.One,
            new TrainingOptions { Epochs = 20, BatchSize = 64, Seed = 7, LabelSmoothing = 0.2 });
        var p = model.Predict(test.Features, test.RowCount);
        Assert.IsGreaterThan(0.9, Metrics.Auc(p[0].Probabilities!, test.Labels[0]), "binary AUC");
        Assert.IsGreaterThan(Metrics.MajorityAccuracy(test.Labels[1]) + 0.2, Metrics.Accuracy(p[1].PredictedIndex!, test.Labels[1]), "multiclass accuracy");
        // A smoothed binary target cannot take the training loss below that target's own entropy; the plain
        // validation loss of a good classifier can go lower.
        var last = model.History[^1];
        Assert.IsGreaterThan(0.3, last.TaskTrainLosses[0], "training loss on smoothed targets");
        Assert.IsLessThan(last.TaskTrainLosses[0], last.TaskValidationLosses![0], "validation judges the plain loss");
    }
}
