using Microsoft.ML;
using Microsoft.ML.Data;

namespace Mta.MLNet.Tests;

/// <summary>
/// <c>mlContext.MultiTask().Load</c>: a saved pipeline comes back with its multi-task step as a batched
/// <see cref="MultiTaskTransformer"/> that predicts exactly what the fitted one does.
/// </summary>
[TestClass]
public sealed class BatchedLoadTests
{
    [TestMethod]
    public void ASavedPipelineLoadsWithABatchedMultiTaskStepAndTheSamePredictions()
    {
        var ml = new MLContext(seed: 1);
        var train = Synthetic.Load(ml, 300, seed: 31);
        var test = Synthetic.Load(ml, 70, seed: 32);
        var model = Synthetic.Pipeline(ml).Fit(train);
        using var stream = new MemoryStream();
        ml.Model.Save(model, train.Schema, stream);
        stream.Position = 0;

        var loaded = new MLContext().MultiTask().Load(stream, out var inputSchema, scoringBatchSize: 16);

        var multiTask = Steps(loaded).OfType<MultiTaskTransformer>().Single();
        CollectionAssert.AreEqual(new[] { "Flag", "Grade", "Amount" }, multiTask.Tasks.Select(t => t.Name).ToArray());
        Assert.HasCount(model.LastTransformer.Report.History.Count, multiTask.Report.History);
        Assert.IsNotNull(inputSchema.GetColumnOrNull("Amount"));

        var before = model.Transform(test);
        var after = loaded.Transform(test);
        Assert.AreEqual(before.Schema.Count, after.Schema.Count);
        for (int i = 0; i < before.Schema.Count; i++)
        {
            Assert.AreEqual(before.Schema[i].Name, after.Schema[i].Name);
            Assert.AreEqual(before.Schema[i].Type, after.Schema[i].Type, before.Schema[i].Name);
        }
        // Same graph, same ONNX Runtime, same batches of rows → bit-identical outputs.
        CollectionAssert.AreEqual(before.GetColumn<float>("Flag.Probability").ToArray(), after.GetColumn<float>("Flag.Probability").ToArray());
        CollectionAssert.AreEqual(before.GetColumn<bool>("Flag.PredictedLabel").ToArray(), after.GetColumn<bool>("Flag.PredictedLabel").ToArray());
        CollectionAssert.AreEqual(before.GetColumn<uint>("Grade.PredictedLabel").ToArray(), after.GetColumn<uint>("Grade.PredictedLabel").ToArray());
        CollectionAssert.AreEqual(before.GetColumn<float[]>("Grade.Score").SelectMany(v => v).ToArray(), after.GetColumn<float[]>("Grade.Score").SelectMany(v => v).ToArray());
        CollectionAssert.AreEqual(before.GetColumn<float>("Amount.Score").ToArray(), after.GetColumn<float>("Amount.Score").ToArray());
        CollectionAssert.AreEqual(before.GetColumn<float[]>("Amount.Attention").SelectMany(v => v).ToArray(), after.GetColumn<float[]>("Amount.Attention").SelectMany(v => v).ToArray());
    }

    [TestMethod]
    public void ALoadedModelSavesAgainAndStillLoadsWithPlainMlNet()
    {
        var ml = new MLContext(seed: 1);
        var train = Synthetic.Load(ml, 200, seed: 33);
        var test = Synthetic.Load(ml, 30, seed: 34);
        var model = Synthetic.Pipeline(ml).Fit(train);
        using var first = new MemoryStream();
        ml.Model.Save(model, train.Schema, first);
        first.Position = 0;
        var loaded = ml.MultiTask().Load(first, out var schema);
        using var second = new MemoryStream();
        ml.Model.Save(loaded, schema, second);
        second.Position = 0;

        var plain = new MLContext().Model.Load(second, out _);

        CollectionAssert.AreEqual(model.Transform(test).GetColumn<uint>("Grade.PredictedLabel").ToArray(),
            plain.Transform(test).GetColumn<uint>("Grade.PredictedLabel").ToArray());
    }

    [TestMethod]
    public void AFileThatIsNotAModelGivesAnErrorNamingIt()
    {
        string path = Path.Combine(Path.GetTempPath(), $"mta-not-a-model-{Guid.NewGuid():N}.zip");
        File.WriteAllText(path, "this is not a zip file");
        try
        {
            var e = Assert.ThrowsExactly<InvalidDataException>(() => new MLContext().MultiTask().Load(path, out _));
            StringAssert.Contains(e.Message, path);
            Assert.ThrowsExactly<FileNotFoundException>(() => new MLContext().MultiTask().Load(path + ".missing", out _));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void AModelWithoutAMultiTaskStepLoadsAsMlNetLoadsIt()
    {
        var ml = new MLContext(seed: 1);
        var train = Synthetic.Load(ml, 50, seed: 35);
        var model = ml.Transforms.NormalizeMinMax("Amount").Fit(train);
        using var stream = new MemoryStream();
        ml.Model.Save(model, train.Schema, stream);
        stream.Position = 0;

        var loaded = ml.MultiTask().Load(stream, out _);

        Assert.IsEmpty(Steps(loaded).OfType<MultiTaskTransformer>());
        Assert.IsNotNull(loaded.Transform(train).Schema.GetColumnOrNull("Amount"));
    }

    private static IEnumerable<ITransformer> Steps(ITransformer transformer) => transformer is IEnumerable<ITransformer> chain
        ? chain.SelectMany(Steps).Prepend(transformer)
        : [transformer];
}
