using Microsoft.ML;
using Microsoft.ML.Data;
using Mta.Models.Options;

namespace Mta.MLNet.Tests;

/// <summary>
/// The architectures with their own ONNX graphs, and an ensemble, through the ML.NET pipeline: fit with the architecture in the options,
/// save, and both loaders (plain ML.NET, one row per call; <c>MultiTask().Load</c>, batched) predict what the fitted model does.
/// </summary>
[TestClass]
public sealed class ArchitectureSaveLoadTests
{
    [TestMethod]
    [DataRow(Architecture.DSelectK, new[] { "expert 1", "expert 2", "expert 3", "expert 4" })]
    [DataRow(Architecture.CrossStitch, new[] { "Flag column", "Grade column", "Amount column" })]
    [DataRow(Architecture.ExpertAttention, new[] { "expert 1", "expert 2", "expert 3", "expert 4" }, 3)]
    public void ASavedModelPredictsAsTheFittedOneDoes(Architecture architecture, string[] sources, int ensembleMembers = 1)
    {
        var ml = new MLContext(seed: 1);
        var train = Synthetic.Load(ml, 300, seed: 41);
        var test = Synthetic.Load(ml, 40, seed: 42);
        var options = new MultiTaskOptions { Network = new NetworkOptions { Architecture = architecture, ExpertCount = 4, ExpertHiddenSizes = [12, 8], EnsembleMembers = ensembleMembers } };
        var model = Synthetic.Pipeline(ml, options).Fit(train);
        CollectionAssert.AreEqual(sources, model.LastTransformer.Report.Sources.ToArray(), "what the tasks weigh: experts, or task columns");
        using var stream = new MemoryStream();
        ml.Model.Save(model, train.Schema, stream);

        stream.Position = 0;
        var batched = new MLContext().MultiTask().Load(stream, out _, scoringBatchSize: 16);
        stream.Position = 0;
        var plain = new MLContext().Model.Load(stream, out _);

        var fitted = model.Transform(test);
        var attention = fitted.GetColumn<float[]>("Amount.Attention").ToArray();
        Assert.IsTrue(attention.All(a => a.Length == sources.Length));
        // The batched loader runs the fitted model's graph: bit-identical. Plain ML.NET runs the single-row graph, whose
        // one-row products may round differently in the last bit: equal to float precision, and the same decisions.
        var fromBatched = batched.Transform(test);
        CollectionAssert.AreEqual(Values(fitted, "Flag.Probability"), Values(fromBatched, "Flag.Probability"));
        CollectionAssert.AreEqual(Values(fitted, "Amount.Score"), Values(fromBatched, "Amount.Score"));
        CollectionAssert.AreEqual(attention.SelectMany(a => a).ToArray(), fromBatched.GetColumn<float[]>("Amount.Attention").SelectMany(a => a).ToArray());
        CollectionAssert.AreEqual(fitted.GetColumn<uint>("Grade.PredictedLabel").ToArray(), fromBatched.GetColumn<uint>("Grade.PredictedLabel").ToArray());

        var fromPlain = plain.Transform(test);
        AssertClose(Values(fitted, "Flag.Probability"), Values(fromPlain, "Flag.Probability"), 1e-5);
        AssertClose(Values(fitted, "Amount.Score"), Values(fromPlain, "Amount.Score"), 1e-3);   // label units, around 50
        AssertClose(attention.SelectMany(a => a).ToArray(), fromPlain.GetColumn<float[]>("Amount.Attention").SelectMany(a => a).ToArray(), 1e-5);
        CollectionAssert.AreEqual(fitted.GetColumn<uint>("Grade.PredictedLabel").ToArray(), fromPlain.GetColumn<uint>("Grade.PredictedLabel").ToArray());
    }

    private static float[] Values(IDataView data, string column) => data.GetColumn<float>(column).ToArray();

    private static void AssertClose(float[] expected, float[] actual, double tolerance)
    {
        Assert.HasCount(expected.Length, actual);
        for (int i = 0; i < expected.Length; i++)
            Assert.AreEqual(expected[i], actual[i], tolerance, $"row {i}");
    }
}
