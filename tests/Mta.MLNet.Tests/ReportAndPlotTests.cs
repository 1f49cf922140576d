using Microsoft.ML;
using Microsoft.ML.Data;
using Mta.MLNet.Plots;
using Mta.Models.Options;
using Mta.Models.Weighting;

namespace Mta.MLNet.Tests;

/// <summary>The transformer's report on other data, and the PNG plots written from it.</summary>
[TestClass]
public sealed class ReportAndPlotTests
{
    [TestMethod]
    public void GetReportMeasuresAttentionOnTheGivenRowsAndThePlotsAreWritten()
    {
        var ml = new MLContext(seed: 1);
        var data = Rotterdam.Load(ml);
        var (train, test) = ml.MultiTask().SplitByRowIndex(data);
        var featurizer = Rotterdam.Featurize(ml).Fit(train);
        var estimator = ml.MultiTask().Attention(new MultiTaskOptions
        {
            Tasks = [new TaskColumn("recur"), new TaskColumn("death")],
            Network = TestNetworks.One with { Architecture = Architecture.Ple, ExpertCount = 2 },
            Training = new TrainingOptions { Epochs = 4, LossWeighting = LossWeightingKind.Uncertainty },
        });
        using var model = estimator.Fit(featurizer.Transform(train));

        var testFeatures = featurizer.Transform(test);
        var report = model.GetReport(testFeatures);
        Assert.AreEqual(testFeatures.GetColumn<float>("age").LongCount(), report.Rows);
        Assert.AreEqual(model.Report.Sources.Count, report.Sources.Count);
        foreach (var row in report.MeanAttention)
            Assert.AreEqual(1.0, row.Sum(), 1e-5);
        Assert.AreNotEqual(model.Report.MeanAttention[0][0], report.MeanAttention[0][0], "measured on other rows than training");
        Assert.HasCount(4, report.History);
        Assert.AreEqual(LossWeightingKind.Uncertainty, report.LossWeighting);

        string folder = Path.Combine(Path.GetTempPath(), $"mta-plots-{Guid.NewGuid():N}");
        try
        {
            ReportPlots.SaveTrainingCurves(report, Path.Combine(folder, "curves.png"));
            ReportPlots.SaveLossWeights(report, Path.Combine(folder, "weights.png"));
            ReportPlots.SaveAttentionHeatmap(report, Path.Combine(folder, "attention.png"));
            ReportPlots.SaveTaskAffinity(report, Path.Combine(folder, "affinity.png"));
            foreach (var file in Directory.GetFiles(folder))
            {
                var bytes = File.ReadAllBytes(file);
                Assert.IsGreaterThan(5_000, bytes.Length, file);
                CollectionAssert.AreEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4], $"{file} is a PNG");
            }
            Assert.HasCount(4, Directory.GetFiles(folder));
        }
        finally
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
    }
}
