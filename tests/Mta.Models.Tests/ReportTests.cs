using Microsoft.ML.OnnxRuntime;
using Mta.Models.Onnx;
using Mta.Models.Options;
using Mta.Models.Training;

namespace Mta.Models.Tests;

/// <summary>The trained model's report: shapes, what the numbers must satisfy, and that the ONNX file carries it.</summary>
[TestClass]
public sealed class ReportTests
{
    private static readonly TrainingOptions Short = new() { Epochs = 3, Seed = 5 };

    [TestMethod]
    [DataRow(Architecture.ExpertAttention, 3)]
    [DataRow(Architecture.MixtureOfExperts, 3)]
    [DataRow(Architecture.DSelectK, 3)]
    [DataRow(Architecture.SharedBottom, 1)]
    public void GlobalAttentionRowsAreDistributionsOverTheExperts(Architecture architecture, int sources)
    {
        var train = SyntheticTasks.Make(300, 5, seed: 1);
        using var model = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, TestNetworks.One with { Architecture = architecture, ExpertCount = 3 }, Short);
        var report = model.Report;

        CollectionAssert.AreEqual(new[] { "b", "m", "r" }, report.Tasks.ToArray());
        Assert.HasCount(sources, report.Sources);
        Assert.AreEqual(train.RowCount - (int)Math.Round(train.RowCount * 0.1), (int)report.Rows, "measured on the training rows (after the 10% hold-out)");
        foreach (var row in report.MeanAttention)
            Assert.AreEqual(1.0, row.Sum(), 1e-5, "softmax weights average to a distribution");
        for (int k = 0; k < 3; k++)
            Assert.AreEqual(1.0, report.TaskAffinity[k][k], 1e-9, "a task is fully similar to itself");
        Assert.HasCount(model.History.Count, report.History);
        CollectionAssert.AreEqual(model.LossWeights.ToArray(), report.LossWeights.ToArray());
    }

    [TestMethod]
    public void CgcTasksNeverAttendToOtherTasksExperts()
    {
        var train = SyntheticTasks.Make(300, 5, seed: 2);
        using var model = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null,
            TestNetworks.One with { Architecture = Architecture.Cgc, ExpertCount = 2, Ple = new PleOptions { TaskExpertCount = 2 } }, Short);
        var report = model.Report;

        CollectionAssert.AreEqual(new[] { "b expert 1", "b expert 2", "m expert 1", "m expert 2", "r expert 1", "r expert 2", "shared expert 1", "shared expert 2" },
            report.Sources.ToArray());
        CollectionAssert.AreEqual(new[] { 2, 3, 6, 7 }, report.SourceIndex[1].ToArray(), "task m: its own two experts, then the shared ones");
        for (int k = 0; k < 3; k++)
        {
            for (int s = 0; s < 6; s++)
            {
                if (s / 2 != k)
                    Assert.AreEqual(0.0, report.MeanAttention[k][s], $"task {k} on source {report.Sources[s]}");
            }
            Assert.AreEqual(1.0, report.MeanAttention[k].Sum(), 1e-5);
        }
    }

    [TestMethod]
    public void LocalAttentionReportsMaskUnitsBetweenZeroAndOne()
    {
        var train = SyntheticTasks.Make(300, 5, seed: 3);
        using var model = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null,
            TestNetworks.One with { Architecture = Architecture.LocalAttention, ExpertHiddenSizes = [10, 6] }, Short);
        Assert.HasCount(6, model.Report.Sources);
        Assert.AreEqual("unit 1", model.Report.Sources[0]);
        Assert.IsTrue(model.Report.MeanAttention.SelectMany(r => r).All(v => v > 0 && v < 1), "sigmoid masks");
    }

    [TestMethod]
    public void TheOnnxFileCarriesTheReport()
    {
        var train = SyntheticTasks.Make(300, 5, seed: 4);
        using var model = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, TestNetworks.One, Short);
        using var session = new InferenceSession(model.ExportOnnx());
        var json = session.ModelMetadata.CustomMetadataMap[OnnxModelMetadata.ReportKey];
        var read = OnnxModelMetadata.DeserializeReport(json);

        CollectionAssert.AreEqual(model.Report.Sources.ToArray(), read.Sources.ToArray());
        for (int k = 0; k < 3; k++)
            CollectionAssert.AreEqual(model.Report.MeanAttention[k].ToArray(), read.MeanAttention[k].ToArray());
        Assert.AreEqual(model.Report.History.Count, read.History.Count);
        CollectionAssert.AreEqual(model.Report.History[^1].TaskTrainLosses.ToArray(), read.History[^1].TaskTrainLosses.ToArray());
    }
}
