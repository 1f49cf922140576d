using Microsoft.ML;
using Microsoft.ML.Data;
using Mta.Models.Options;
using Mta.Models.Weighting;

namespace Mta.MLNet.Tests;

/// <summary>The gradient-level and new loss-level weightings through the ML.NET pipeline: fit, log, save and load.</summary>
[TestClass]
public sealed class GradientWeightingPipelineTests
{
    [TestMethod]
    [DataRow(LossWeightingKind.PCGrad)]
    [DataRow(LossWeightingKind.NashMTL)]
    [DataRow(LossWeightingKind.FAMO)]
    public void FitsLogsItsWeightsAndSavesAndLoadsWithIdenticalPredictions(LossWeightingKind weighting)
    {
        var ml = new MLContext(seed: 1);
        var lines = TrainingLogLines.Capture(ml);
        var train = Synthetic.Load(ml, 600, seed: 7);
        var model = Synthetic.Pipeline(ml, new MultiTaskOptions { Network = TestNetworks.One, Training = new TrainingOptions { LossWeighting = weighting } }).Fit(train);
        var test = Synthetic.Load(ml, 200, seed: 8);
        var scored = model.Transform(test);
        var metrics = ml.MultiTask().Evaluate(scored, "Flag", "Grade", "Amount");
        Assert.IsGreaterThan(0.85, metrics["Flag"].Binary!.AreaUnderRocCurve);
        Assert.IsGreaterThan(0.6, metrics["Amount"].Regression!.RSquared);

        var epochLine = lines.First(l => l.StartsWith("Epoch 1/", StringComparison.Ordinal));
        StringAssert.Contains(epochLine, "loss weights (Flag ");
        if (weighting is LossWeightingKind.FAMO)
            Assert.DoesNotContain("gradients conflicted", epochLine, "a loss-level weighting has no gradient conflicts to report");
        else
            StringAssert.Contains(epochLine, "% of steps");

        using var stream = new MemoryStream();
        ml.Model.Save(model, train.Schema, stream);
        stream.Position = 0;
        var loaded = ml.MultiTask().Load(stream, out _);
        CollectionAssert.AreEqual(scored.GetColumn<float>("Amount.Score").ToArray(), loaded.Transform(test).GetColumn<float>("Amount.Score").ToArray());
    }
}
