using Microsoft.ML;
using Microsoft.ML.Data;
using Mta.Models.Options;
using Mta.SampleData;

namespace Mta.MLNet.Tests;

/// <summary>Sets of items through ML.NET: a variable-length vector column, fit (in memory and streamed), score, save/load, errors.</summary>
[TestClass]
public sealed class SetEndToEndTests
{
    private const int D = SyntheticRecommendations.ItemWidth;

    private sealed class User
    {
        public float[] Items { get; set; } = [];   // no VectorType: a variable-length vector column
        public bool Click { get; set; }
        public float Rating { get; set; }
    }

    private sealed class PaddedUser
    {
        [VectorType(8 * D)] public float[] Items { get; set; } = [];
        public bool Click { get; set; }
        public float Rating { get; set; }
    }

    private static IDataView Users(MLContext ml, int rows, int seed, int maxItems) =>
        ml.Data.LoadFromEnumerable(new SyntheticRecommendations(seed, maxItems).Rows(rows)
            .Select(r => new User { Items = r.Items, Click = r.Click, Rating = r.Rating }).ToArray());

    private static MultiTaskOptions Options(int epochs = 15) => new()
    {
        FeatureColumnName = "Items",
        Tasks = [new TaskColumn("Click"), new TaskColumn("Rating")],
        Network = new NetworkOptions { Architecture = Architecture.SetAttention, Set = new SetOptions { ItemWidth = D }, ExpertHiddenSizes = [16], TowerHiddenSizes = [8] },
        Training = new() { Epochs = epochs, LearningRate = 3e-3, Seed = 2 },   // a short budget: a faster rate than the default
        ScoringBatchSize = 7,
    };

    [TestMethod]
    public void FitScoreAndSaveLoadAVariableLengthColumn()
    {
        var ml = new MLContext(seed: 1);
        var train = Users(ml, 3000, seed: 3, maxItems: 8);
        using var model = ml.MultiTask().Attention(Options()).Fit(train);
        // Longer rows than any training row, scored 7 rows per ONNX Runtime call.
        var test = Users(ml, 300, seed: 4, maxItems: 12);
        var scored = model.Transform(test);

        var metrics = ml.MultiTask().Evaluate(scored, "Click", "Rating");
        Assert.IsGreaterThan(0.75, metrics["Click"].Binary!.AreaUnderRocCurve, "a constant scores 0.5");
        Assert.IsGreaterThan(0.6, metrics["Rating"].Regression!.RSquared, "the mean scores 0");
        Assert.IsFalse(((VectorDataViewType)scored.Schema["Click.Attention"].Type).IsKnownSize, "one weight per item of the row");
        var items = test.GetColumn<float[]>("Items").ToArray();
        var attention = scored.GetColumn<float[]>("Click.Attention").ToArray();
        for (int i = 0; i < items.Length; i++)
        {
            Assert.HasCount(items[i].Length / D, attention[i], $"row {i}");
            if (attention[i].Length > 0)
                Assert.AreEqual(1, attention[i].Sum(), 1e-4, $"row {i}: softmax over its items");
        }

        // PredictionEngine (ML.NET's own OnnxTransformer, one row at a time) agrees with the batched scoring.
        var engine = ml.Model.CreatePredictionEngine<User, Prediction>(model);
        var users = ml.Data.CreateEnumerable<User>(test, reuseRowObject: false).Take(40).ToArray();
        var batchedScores = scored.GetColumn<float>("Rating.Score").ToArray();
        for (int i = 0; i < users.Length; i++)
            Assert.AreEqual(batchedScores[i], engine.Predict(users[i]).Score, 1e-4, $"row {i}");

        using var stream = new MemoryStream();
        ml.Model.Save(model, train.Schema, stream);
        stream.Position = 0;
        var plain = new MLContext().Model.Load(stream, out _);
        stream.Position = 0;
        using var reloaded = (IDisposable)new MLContext().MultiTask().Load(stream, out _, scoringBatchSize: 7);   // as fitted: GEMM blocking follows the batch size
        var viaPlain = plain.Transform(test).GetColumn<float>("Rating.Score").ToArray();
        for (int i = 0; i < batchedScores.Length; i++)
            Assert.AreEqual(batchedScores[i], viaPlain[i], 1e-4, $"plain ML.NET load, row {i}");
        var viaBatched = ((ITransformer)reloaded).Transform(test);
        CollectionAssert.AreEqual(batchedScores, viaBatched.GetColumn<float>("Rating.Score").ToArray(), "batched reload");
        CollectionAssert.AreEqual(attention.SelectMany(a => a).ToArray(), viaBatched.GetColumn<float[]>("Click.Attention").SelectMany(a => a).ToArray());
        (plain as IDisposable)?.Dispose();
    }

    [TestMethod]
    public void AStreamedFitAndAFixedSizePaddedColumnWorkToo()
    {
        var ml = new MLContext(seed: 1);
        var options = Options(epochs: 10);
        options.Streaming = true;
        options.Training = options.Training with { StreamingChunkRows = 500 };
        var train = Users(ml, 2000, seed: 5, maxItems: 8);
        using var streamed = ml.MultiTask().Attention(options).Fit(train);
        var test = Users(ml, 300, seed: 6, maxItems: 8);
        Assert.IsGreaterThan(0.7, ml.MultiTask().Evaluate(streamed.Transform(test), "Click", "Rating")["Click"].Binary!.AreaUnderRocCurve);

        // The same users as a fixed-size column: 8 item slots, absent items all NaN.
        PaddedUser Pad(User u)
        {
            var items = Enumerable.Repeat(float.NaN, 8 * D).ToArray();
            u.Items.CopyTo(items, 0);
            return new PaddedUser { Items = items, Click = u.Click, Rating = u.Rating };
        }
        var padded = ml.Data.LoadFromEnumerable(ml.Data.CreateEnumerable<User>(train, false).Select(Pad).ToArray());
        var paddedTest = ml.Data.LoadFromEnumerable(ml.Data.CreateEnumerable<User>(test, false).Select(Pad).ToArray());
        using var fixedModel = ml.MultiTask().Attention(Options(epochs: 10)).Fit(padded);
        var scored = fixedModel.Transform(paddedTest);
        Assert.AreEqual(8, ((VectorDataViewType)scored.Schema["Click.Attention"].Type).Size);
        Assert.IsGreaterThan(0.7, ml.MultiTask().Evaluate(scored, "Click", "Rating")["Click"].Binary!.AreaUnderRocCurve);

        using var stream = new MemoryStream();
        ml.Model.Save(fixedModel, padded.Schema, stream);
        stream.Position = 0;
        using var reloaded = (IDisposable)new MLContext().MultiTask().Load(stream, out _, scoringBatchSize: 7);   // as fitted: GEMM blocking follows the batch size
        CollectionAssert.AreEqual(scored.GetColumn<float>("Rating.Score").ToArray(),
            ((ITransformer)reloaded).Transform(paddedTest).GetColumn<float>("Rating.Score").ToArray());
    }

    private sealed class AgedUser
    {
        public float Age { get; set; }
        public float[] Items { get; set; } = [];
        public bool Click { get; set; }
        public float Rating { get; set; }
    }

    private static AgedUser[] AgedUsers(int rows, int seed)
    {
        var rng = new Random(seed);
        return new SyntheticRecommendations(seed, 8).Rows(rows).Select(r =>
        {
            float age = 18 + 60 * (float)rng.NextDouble();
            return new AgedUser { Age = age, Items = r.Items, Click = r.Click, Rating = r.Rating + 0.05f * (age - 50) };
        }).ToArray();
    }

    [TestMethod]
    public void RowFeaturesConcatenatedBeforeTheItems()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(AgedUsers(3000, 10));
        // Concatenate of a scalar and a variable-length vector is a variable-length vector: [age, items...].
        var pipeline = ml.Transforms.Concatenate("Features", "Age", "Items")
            .Append(ml.MultiTask().Attention(new MultiTaskOptions
            {
                Tasks = [new TaskColumn("Click"), new TaskColumn("Rating")],
                Network = new NetworkOptions { Architecture = Architecture.SetAttention, Set = new SetOptions { ItemWidth = D, RowFeatureCount = 1 }, ExpertHiddenSizes = [16], TowerHiddenSizes = [8] },
                Training = new() { Epochs = 20, Seed = 2 },
            }));
        var model = pipeline.Fit(train);
        var test = ml.Data.LoadFromEnumerable(AgedUsers(300, 11));
        var scored = model.Transform(test);
        Assert.IsGreaterThan(0.7, ml.MultiTask().Evaluate(scored, "Click", "Rating")["Rating"].Regression!.RSquared, "age alone moves the rating by ±1.5");
        var items = test.GetColumn<float[]>("Items").ToArray();
        var attention = scored.GetColumn<float[]>("Rating.Attention").ToArray();
        for (int i = 0; i < items.Length; i++)
            Assert.HasCount(items[i].Length / D, attention[i], $"row {i}: a weight per item, none for the age");

        var engine = ml.Model.CreatePredictionEngine<AgedUser, Prediction>(model);
        var users = ml.Data.CreateEnumerable<AgedUser>(test, reuseRowObject: false).Take(30).ToArray();
        var batched = scored.GetColumn<float>("Rating.Score").ToArray();
        for (int i = 0; i < users.Length; i++)
            Assert.AreEqual(batched[i], engine.Predict(users[i]).Score, 1e-4, $"row {i}");

        using var stream = new MemoryStream();
        ml.Model.Save(model, train.Schema, stream);
        stream.Position = 0;
        var reloaded = new MLContext().MultiTask().Load(stream, out _);
        CollectionAssert.AreEqual(batched, reloaded.Transform(test).GetColumn<float>("Rating.Score").ToArray());
        (reloaded as IDisposable)?.Dispose();
        model.LastTransformer.Dispose();
    }

    [TestMethod]
    public void BadSetInputIsNamed()
    {
        var ml = new MLContext(seed: 1);
        var good = new SyntheticRecommendations(7, 4).Rows(40).Select(r => new User { Items = r.Items, Click = r.Click, Rating = r.Rating }).ToArray();

        // A row that is not whole items.
        var broken = good.Select((u, i) => i == 5 ? new User { Items = [1, 2, 3], Click = u.Click, Rating = u.Rating } : u).ToArray();
        var partial = Assert.ThrowsExactly<InvalidDataException>(() => ml.MultiTask().Attention(Options(1)).Fit(ml.Data.LoadFromEnumerable(broken)));
        StringAssert.Contains(partial.Message, "'Items'");
        StringAssert.Contains(partial.Message, "row 5");
        StringAssert.Contains(partial.Message, $"ItemWidth {D}");

        // A variable-length column without the set architecture.
        var options = Options(1);
        options.Network = new NetworkOptions();
        var variable = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.MultiTask().Attention(options).Fit(ml.Data.LoadFromEnumerable(good)));
        StringAssert.Contains(variable.Message, "'Items'");
        StringAssert.Contains(variable.Message, "SetAttention");

        // A model trained on a variable-length column, given a fixed-size one.
        using var model = ml.MultiTask().Attention(Options(1)).Fit(ml.Data.LoadFromEnumerable(good));
        var fixedRows = ml.Data.LoadFromEnumerable(good.Select(u => new PaddedUser { Items = new float[8 * D], Click = u.Click, Rating = u.Rating }).ToArray());
        var mismatch = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => model.Transform(fixedRows));
        StringAssert.Contains(mismatch.Message, "variable-length");
    }

    private sealed class Basket
    {
        public string[] Names { get; set; } = [];   // a variable-length vector of text: the user's items
        public bool Likes { get; set; }
        public float Count { get; set; }
    }

    private static Basket[] Baskets(int rows, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, rows).Select(_ =>
        {
            var ids = Enumerable.Range(0, rng.Next(9)).Select(_ => rng.Next(1, 31)).ToArray();
            return new Basket
            {
                Names = ids.Select(i => $"item {i}").ToArray(),
                Likes = ids.Any(i => i <= 5),
                Count = ids.Count(i => i > 25) + (float)(0.1 * rng.NextDouble()),
            };
        }).ToArray();
    }

    [TestMethod]
    public void ItemIdsFromATextListThroughMapValueToKey()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(Baskets(3000, 8));
        // Names → keys (MapValueToKey): the ids; the table gets a row per key (Set.ItemVocabularySize is the key count).
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Items", "Names")
            .Append(ml.MultiTask().Attention(new MultiTaskOptions
            {
                FeatureColumnName = "Items",
                Tasks = [new TaskColumn("Likes"), new TaskColumn("Count")],
                Network = new NetworkOptions { Architecture = Architecture.SetAttention, Set = new SetOptions { ItemWidth = 1, ItemEmbeddingWidth = 8 } },
                Training = new() { Epochs = 20, Seed = 2 },
            }));
        var attentionShape = SchemaErrorTests.PromisedShape(pipeline, train).Single(c => c.Name == "Likes.Attention");
        Assert.AreEqual(NumberDataViewType.Single, attentionShape.ItemType, "weights, not keys");
        var model = pipeline.Fit(train);
        var test = ml.Data.LoadFromEnumerable(Baskets(500, 9).Append(new Basket { Names = ["a new item"] }).ToArray());
        var scored = model.Transform(test);
        Assert.IsTrue(float.IsFinite(scored.GetColumn<float>("Count.Score").Last()), "an unseen name is the 'unknown' id");

        // PredictionEngine: ML.NET's own OnnxTransformer feeds the keys (uint32) to the single-row graph.
        var engine = ml.Model.CreatePredictionEngine<Basket, CountPrediction>(model);
        var batched = scored.GetColumn<float>("Count.Score").ToArray();
        var baskets = ml.Data.CreateEnumerable<Basket>(test, reuseRowObject: false).ToArray();
        for (int i = 0; i < 30; i++)
            Assert.AreEqual(batched[i], engine.Predict(baskets[i]).Score, 1e-4, $"row {i}");

        var metrics = ml.MultiTask().Evaluate(scored, "Likes", "Count");
        Assert.IsGreaterThan(0.95, metrics["Likes"].Binary!.AreaUnderRocCurve, "a constant scores 0.5");
        Assert.IsGreaterThan(0.8, metrics["Count"].Regression!.RSquared, "the mean scores 0");

        using var stream = new MemoryStream();
        ml.Model.Save(model, train.Schema, stream);
        stream.Position = 0;
        var reloaded = new MLContext().MultiTask().Load(stream, out _);
        CollectionAssert.AreEqual(scored.GetColumn<float>("Count.Score").ToArray(), reloaded.Transform(test).GetColumn<float>("Count.Score").ToArray());
        (reloaded as IDisposable)?.Dispose();
        model.LastTransformer.Dispose();
    }

    private sealed class Prediction
    {
        [ColumnName("Rating.Score")] public float Score { get; set; }
    }

    private sealed class CountPrediction
    {
        [ColumnName("Count.Score")] public float Score { get; set; }
    }
}
