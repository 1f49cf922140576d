using Microsoft.ML;
using Microsoft.ML.Data;

namespace Mta.MLNet.Tests;

/// <summary>Binary + multiclass + regression in one model, through ML.NET's evaluators and a save/load.</summary>
[TestClass]
public sealed class MixedTaskKindsTests
{
    [TestMethod]
    public void EveryKindLearnsAndEvaluatesWithMlNetEvaluators()
    {
        var ml = new MLContext(seed: 1);
        var model = Synthetic.Pipeline(ml).Fit(Synthetic.Load(ml, 1200, seed: 1));
        var scored = model.Transform(Synthetic.Load(ml, 400, seed: 2));
        var metrics = ml.MultiTask().Evaluate(scored, "Flag", "Grade", "Amount");

        Assert.IsGreaterThan(0.9, metrics["Flag"].Binary!.AreaUnderRocCurve);
        Assert.IsGreaterThan(0.7, metrics["Grade"].Multiclass!.MacroAccuracy);
        Assert.IsGreaterThan(0.8, metrics["Amount"].Regression!.RSquared);
    }

    [TestMethod]
    public void MulticlassOutputsCarryTheClassNames()
    {
        var ml = new MLContext(seed: 1);
        var model = Synthetic.Pipeline(ml).Fit(Synthetic.Load(ml, 300, seed: 3));
        var scored = model.Transform(Synthetic.Load(ml, 50, seed: 4));

        var predicted = scored.Schema["Grade.PredictedLabel"];
        Assert.AreEqual(3UL, ((KeyDataViewType)predicted.Type).Count);
        VBuffer<ReadOnlyMemory<char>> slotNames = default;
        scored.Schema["Grade.Score"].GetSlotNames(ref slotNames);
        CollectionAssert.AreEqual(new[] { "A", "B", "C" }, slotNames.DenseValues().Select(s => s.ToString()).OrderBy(s => s).ToArray());

        var names = ml.Transforms.Conversion.MapKeyToValue("Grade.PredictedText", "Grade.PredictedLabel").Fit(scored).Transform(scored)
            .GetColumn<ReadOnlyMemory<char>>("Grade.PredictedText").Select(s => s.ToString()).ToArray();
        Assert.IsTrue(names.All(n => n is "A" or "B" or "C"));
        Assert.IsGreaterThan(1, names.Distinct().Count(), "a trained model predicts more than one class");
    }

    [TestMethod]
    public void SaveAndLoadKeepMulticlassAndRegressionPredictions()
    {
        var ml = new MLContext(seed: 1);
        var train = Synthetic.Load(ml, 300, seed: 5);
        var model = Synthetic.Pipeline(ml).Fit(train);
        var test = Synthetic.Load(ml, 60, seed: 6);
        using var stream = new MemoryStream();
        ml.Model.Save(model, train.Schema, stream);
        stream.Position = 0;
        var loaded = new MLContext().Model.Load(stream, out _);

        var before = model.Transform(test);
        var after = loaded.Transform(test);
        CollectionAssert.AreEqual(before.GetColumn<uint>("Grade.PredictedLabel").ToArray(), after.GetColumn<uint>("Grade.PredictedLabel").ToArray());
        var a = before.GetColumn<float>("Amount.Score").ToArray();
        var b = after.GetColumn<float>("Amount.Score").ToArray();
        for (int i = 0; i < a.Length; i++)
            Assert.AreEqual(a[i], b[i], 1e-6 * Math.Max(1, Math.Abs(a[i])));
        var pa = before.GetColumn<float[]>("Grade.Score").SelectMany(v => v).ToArray();
        var pb = after.GetColumn<float[]>("Grade.Score").SelectMany(v => v).ToArray();
        for (int i = 0; i < pa.Length; i++)
            Assert.AreEqual(pa[i], pb[i], 1e-6);
    }

    [TestMethod]
    public void BatchSizeDoesNotChangePredictions()
    {
        var ml = new MLContext(seed: 1);
        var train = Synthetic.Load(ml, 300, seed: 7);
        var test = Synthetic.Load(ml, 77, seed: 8);
        float[] Score(int batch) => Synthetic.Pipeline(ml, new MultiTaskOptions { Network = TestNetworks.One, ScoringBatchSize = batch }).Fit(train)
            .Transform(test).GetColumn<float>("Flag.Probability").ToArray();
        var one = Score(1);
        var many = Score(16);
        for (int i = 0; i < one.Length; i++)
            Assert.AreEqual(one[i], many[i], 1e-6, $"row {i}");
    }
}
