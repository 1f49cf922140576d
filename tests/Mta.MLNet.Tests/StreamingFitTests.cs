using Microsoft.ML;

namespace Mta.MLNet.Tests;

/// <summary>Fit with <see cref="MultiTaskOptions.Streaming"/>: the data view is read in chunks and the model still learns.</summary>
[TestClass]
public sealed class StreamingFitTests
{
    [TestMethod]
    public void StreamingFitOnRotterdamBeatsChanceOnBothTasks()
    {
        var ml = new MLContext(seed: 1);
        var data = Rotterdam.Load(ml);
        var (train, test) = ml.MultiTask().SplitByRowIndex(data);
        var pipeline = Rotterdam.Featurize(ml).Append(ml.MultiTask().Attention(new MultiTaskOptions
        {
            Network = TestNetworks.One,
            Tasks = [new TaskColumn("recur"), new TaskColumn("death")],
            Streaming = true,
            Training = new() { StreamingChunkRows = 500, Epochs = 30 },
        }));
        var model = pipeline.Fit(train);
        var metrics = ml.MultiTask().Evaluate(model.Transform(test), "recur", "death");
        Assert.IsGreaterThan(0.65, metrics["recur"].Binary!.AreaUnderRocCurve);
        Assert.IsGreaterThan(0.65, metrics["death"].Binary!.AreaUnderRocCurve);
        Assert.IsTrue(model.LastTransformer.TrainingHistory.All(e => e.ValidationLoss is not null), "a hold-out was kept for early stopping");
        model.LastTransformer.Dispose();
    }
}
