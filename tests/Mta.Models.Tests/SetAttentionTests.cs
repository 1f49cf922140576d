using Mta.Models.Data;
using Mta.Models.Onnx;
using Mta.Models.Options;
using Mta.Models.Training;
using Mta.SampleData;

namespace Mta.Models.Tests;

/// <summary>Attention pooling over sets of items: ONNX parity at any length, padding and order invariance, learning, options.</summary>
[TestClass]
public sealed class SetAttentionTests
{
    private const int D = SyntheticRecommendations.ItemWidth;

    private static readonly NetworkOptions Network = TestNetworks.One with
    {
        Architecture = Architecture.SetAttention,
        Set = new SetOptions { ItemWidth = D },
        ExpertHiddenSizes = [16],
        TowerHiddenSizes = [8],
    };

    private static MultiTaskModel Train(int rows, int epochs, int seed = 1, int maxItems = 8) =>
        MultiTaskTrainer.Train(SyntheticRecommendations.Tasks, SyntheticRecommendations.ToData(new SyntheticRecommendations(seed, maxItems).Rows(rows)),
            null, Network, new TrainingOptions { Epochs = epochs, Seed = 2 });

    /// <summary>Rows padded to <paramref name="items"/> items; row 0 empty, row 1 with one missing value inside an item.</summary>
    private static (float[] Features, int Rows) Probe(int rows, int items, int seed)
    {
        var users = new SyntheticRecommendations(seed, items).Rows(rows).ToArray();
        users[0] = users[0] with { Items = [] };
        var features = new float[rows * items * D];
        Array.Fill(features, float.NaN);
        for (int i = 0; i < rows; i++)
            users[i].Items.CopyTo(features, i * items * D);
        features[items * D + 4] = float.NaN;
        return (features, rows);
    }

    [TestMethod]
    [DataRow(8)]
    [DataRow(3)]
    [DataRow(13)]
    public void OnnxMatchesTorchSharpAtAnyNumberOfItems(int items)
    {
        using var model = Train(300, 2);
        var (features, rows) = Probe(17, items, seed: 3);
        var expected = model.Predict(features, rows);

        var actual = OnnxParityTests.Run(model.ExportOnnx(), features, rows, items * D);

        AssertClose(expected[0].Probabilities!, (float[])actual["click_probability"]);
        AssertClose(expected[1].Score!, (float[])actual["rating_value"]);
        AssertClose(expected[0].Attention, (float[])actual["click_attention"]);
        AssertClose(expected[1].Attention, (float[])actual["rating_attention"]);
        Assert.HasCount(rows * items, expected[0].Attention, "one weight per item of the rows as given");
        Assert.IsTrue(expected[0].Attention.Take(items).All(w => w == 0), "a row without items gives no item any weight");
        Assert.IsTrue(expected.All(p => (p.Score ?? p.Probabilities!).All(float.IsFinite)));
    }

    [TestMethod]
    public void RowsWithoutAnyItemScoreTheSameInEveryForm()
    {
        using var model = Train(200, 1);
        var outputs = OnnxExportOptions.DefaultOutputs(model.Tasks);
        var expected = model.Predict([], 3);
        Assert.IsTrue(expected[0].Attention.Length == 0 && expected.All(p => (p.Score ?? p.Probabilities!).All(float.IsFinite)));
        var oneAbsentItem = model.Predict(Enumerable.Repeat(float.NaN, 3 * D).ToArray(), 3);

        foreach (int rows in new[] { 1, 3 })
        {
            var actual = OnnxParityTests.Run(model.ExportOnnx(new OnnxExportOptions { Outputs = outputs }), [], rows, 0);
            Assert.AreEqual(expected[1].Score![0], ((float[])actual["rating_value"])[0], 1e-5, $"{rows} rows");
            Assert.IsEmpty((float[])actual["rating_attention"]);
        }
        AssertClose(expected[1].Score!, oneAbsentItem[1].Score!);
    }

    [TestMethod]
    public void PaddingAndItemOrderDoNotChangePredictions()
    {
        using var model = Train(300, 2);
        var (features, rows) = Probe(12, 6, seed: 4);
        var baseline = model.Predict(features, rows);

        // The same rows with four more absent items each.
        var padded = new float[rows * 10 * D];
        Array.Fill(padded, float.NaN);
        for (int i = 0; i < rows; i++)
            features.AsSpan(i * 6 * D, 6 * D).CopyTo(padded.AsSpan(i * 10 * D));
        var withPadding = model.Predict(padded, rows);

        // The same rows with their items in reverse order.
        var reversed = new float[features.Length];
        for (int i = 0; i < rows; i++)
        {
            for (int t = 0; t < 6; t++)
                features.AsSpan((i * 6 + t) * D, D).CopyTo(reversed.AsSpan((i * 6 + 5 - t) * D, D));
        }
        var withReversal = model.Predict(reversed, rows);

        for (int k = 0; k < 2; k++)
        {
            var values = baseline[k].Score ?? baseline[k].Probabilities!;
            AssertClose(values, withPadding[k].Score ?? withPadding[k].Probabilities!);
            AssertClose(values, withReversal[k].Score ?? withReversal[k].Probabilities!);
        }
        for (int i = 0; i < rows; i++)
        {
            for (int t = 0; t < 6; t++)
            {
                Assert.AreEqual(baseline[0].Attention[i * 6 + t], withPadding[0].Attention[i * 10 + t], 1e-5, "padding takes no weight");
                Assert.AreEqual(baseline[0].Attention[i * 6 + t], withReversal[0].Attention[i * 6 + 5 - t], 1e-5, "weights follow their items");
            }
        }
    }

    [TestMethod]
    public void EachTaskLearnsToReadItsOwnItems()
    {
        using var model = Train(4000, 25, seed: 6, maxItems: 12);
        var test = new SyntheticRecommendations(7, 12).Rows(1000);
        var data = SyntheticRecommendations.ToData(test);
        var predictions = model.Predict(data.Features, data.RowCount);

        double auc = Metrics.Auc(predictions[0].Probabilities!, data.Labels[0]);
        double r2 = Metrics.RSquared(predictions[1].Score!, data.Labels[1]);
        Assert.IsGreaterThan(0.75, auc, "click AUC (a constant scores 0.5; 0.83 seen)");
        Assert.IsGreaterThan(0.6, r2, "rating R² (the mean scores 0; 0.85 seen)");

        // Where the weight went: click reads the share of category 1 among recent items, so it weighs recent items;
        // rating reads the prices of category-3/4 items, so it weighs those. Mean weight per item of each kind:
        int items = data.FeatureCount / D;
        var click = new MeanWeight();
        var rating = new MeanWeight();
        for (int i = 0; i < data.RowCount; i++)
        {
            for (int t = 0; t < test[i].Items.Length / D; t++)
            {
                var item = test[i].Items.AsSpan(t * D, D);
                click.Add(item[5] < 14, predictions[0].Attention[i * items + t]);
                rating.Add(item[2] == 1 || item[3] == 1, predictions[1].Attention[i * items + t]);
            }
        }
        Assert.IsGreaterThan(1.5 * click.Others, click.Relevant, "click: mean weight of a recent item vs an older one (2.4× seen)");
        Assert.IsGreaterThan(3 * rating.Others, rating.Relevant, "rating: mean weight of a category-3/4 item vs another (8× seen)");
    }

    /// <summary>
    /// Items (id in 1..30, the user's score of it): <c>liked</c> = some item of ids 1-5 scored above 0; <c>total</c> = the
    /// scores of items 26-30 summed, plus noise. Only the ids say which items count.
    /// </summary>
    private static MultiTaskData IdSets(int rows, int seed)
    {
        var rng = new Random(seed);
        const int maxItems = 10;
        var features = new float[rows * maxItems * 2];
        Array.Fill(features, float.NaN);
        var liked = new float[rows];
        var total = new float[rows];
        for (int i = 0; i < rows; i++)
        {
            int n = rng.Next(maxItems + 1);
            double sum = 0;
            for (int t = 0; t < n; t++)
            {
                int id = rng.Next(1, 31);
                float score = (float)(rng.NextDouble() * 2 - 1);
                features[(i * maxItems + t) * 2] = id;
                features[(i * maxItems + t) * 2 + 1] = score;
                liked[i] = id <= 5 && score > 0 ? 1 : liked[i];
                sum += id > 25 ? score : 0;
            }
            total[i] = (float)(sum + 0.1 * (rng.NextDouble() - 0.5));
        }
        return new MultiTaskData(features, maxItems * 2, [liked, total]);
    }

    private static readonly Tasks.TaskSpec[] IdTasks = [new("liked", Tasks.TaskKind.Binary), new("total", Tasks.TaskKind.Regression)];

    private static readonly NetworkOptions IdNetwork = Network with { Set = Network.Set with { ItemWidth = 2, ItemVocabularySize = 30, ItemEmbeddingWidth = 8 }, ExpertHiddenSizes = [32] };

    [TestMethod]
    public void ItemIdsAreEmbeddedTheSameWayInOnnxAndUnknownIdsShareARow()
    {
        using var model = MultiTaskTrainer.Train(IdTasks, IdSets(300, 11), null, IdNetwork, new TrainingOptions { Epochs = 2, Seed = 2 });
        var probe = IdSets(12, 12);
        // Rows 1-4: one item each, score 0.5, with an id the table does not know: 0, NaN, past the vocabulary, not whole.
        float[] unknown = [0, float.NaN, 31, 2.5f];
        for (int r = 1; r <= 4; r++)
        {
            probe.Features.AsSpan(r * 20, 20).Fill(float.NaN);
            (probe.Features[r * 20], probe.Features[r * 20 + 1]) = (unknown[r - 1], 0.5f);
        }
        var expected = model.Predict(probe.Features, probe.RowCount);
        var actual = OnnxParityTests.Run(model.ExportOnnx(), probe.Features, probe.RowCount, probe.FeatureCount);
        AssertClose(expected[0].Probabilities!, (float[])actual["liked_probability"]);
        AssertClose(expected[1].Score!, (float[])actual["total_value"]);
        AssertClose(expected[0].Attention, (float[])actual["liked_attention"]);

        for (int r = 2; r <= 4; r++)
            Assert.AreEqual(expected[1].Score![1], expected[1].Score![r], 1e-6, $"row {r} reads the same 'unknown' row as row 1");
    }

    [TestMethod]
    public void ItemIdsLearnWhichItemsCountAndBadTrainingIdsAreNamed()
    {
        using var model = MultiTaskTrainer.Train(IdTasks, IdSets(4000, 13), null, IdNetwork, new TrainingOptions { Epochs = 25, Seed = 2 });
        var test = IdSets(1000, 14);
        var predictions = model.Predict(test.Features, test.RowCount);
        double auc = Metrics.Auc(predictions[0].Probabilities!, test.Labels[0]);
        double r2 = Metrics.RSquared(predictions[1].Score!, test.Labels[1]);
        Assert.IsGreaterThan(0.95, auc, "liked AUC (a constant scores 0.5; 0.9999 seen)");
        Assert.IsGreaterThan(0.7, r2, "total R² (the mean scores 0; 0.89 seen)");

        var bad = IdSets(50, 15);
        bad.Features[3 * 20 + 2] = 31;
        var error = Assert.ThrowsExactly<ArgumentException>(() =>
            MultiTaskTrainer.Train(IdTasks, bad, null, IdNetwork, new TrainingOptions { Epochs = 1 }));
        StringAssert.Contains(error.Message, "Item 2 of row 3 in the training data has id 31");
        StringAssert.Contains(error.Message, "ItemVocabularySize");
    }

    private sealed class MeanWeight
    {
        private double _relevant, _others;
        private int _relevantCount, _othersCount;

        public double Relevant => _relevant / _relevantCount;

        public double Others => _others / _othersCount;

        public void Add(bool relevant, float weight)
        {
            if (relevant)
                (_relevant, _relevantCount) = (_relevant + weight, _relevantCount + 1);
            else
                (_others, _othersCount) = (_others + weight, _othersCount + 1);
        }
    }

    /// <summary>The synthetic users with two row features first (age, and noise); the rating moves by 0.05 per year of age.</summary>
    private static MultiTaskData WithRowFeatures(int rows, int seed, int maxItems = 8)
    {
        var users = new SyntheticRecommendations(seed, maxItems).Rows(rows);
        var rng = new Random(seed + 100);
        int width = 2 + maxItems * D;
        var features = new float[rows * width];
        Array.Fill(features, float.NaN);
        var rating = new float[rows];
        for (int i = 0; i < rows; i++)
        {
            float age = 18 + 60 * (float)rng.NextDouble();
            (features[i * width], features[i * width + 1]) = (age, (float)rng.NextDouble());
            users[i].Items.CopyTo(features, i * width + 2);
            rating[i] = users[i].Rating + 0.05f * (age - 50);
        }
        return new MultiTaskData(features, width, [users.Select(u => u.Click ? 1f : 0f).ToArray(), rating]);
    }

    private static readonly NetworkOptions RowNetwork = Network with { Set = Network.Set with { RowFeatureCount = 2 } };

    [TestMethod]
    public void RowFeaturesBesideTheItemsMatchInOnnxAndAreLearned()
    {
        using var model = MultiTaskTrainer.Train(SyntheticRecommendations.Tasks, WithRowFeatures(4000, 21), null, RowNetwork, new TrainingOptions { Epochs = 25, Seed = 2 });
        var test = WithRowFeatures(1000, 22);
        var predictions = model.Predict(test.Features, test.RowCount);
        Assert.IsGreaterThan(0.7, Metrics.RSquared(predictions[1].Score!, test.Labels[1]), "rating R²: age alone moves it by ±1.5");

        // Parity with fewer items than in training, rows without items, a missing row feature.
        var probe = WithRowFeatures(9, 23, maxItems: 3);
        probe.Features[2 + 3 * D] = float.NaN;
        var expected = model.Predict(probe.Features, probe.RowCount);
        var actual = OnnxParityTests.Run(model.ExportOnnx(), probe.Features, probe.RowCount, probe.FeatureCount);
        AssertClose(expected[1].Score!, (float[])actual["rating_value"]);
        AssertClose(expected[0].Attention, (float[])actual["click_attention"]);
        Assert.HasCount(probe.RowCount * 3, expected[0].Attention, "items only: the row features take no attention");

        var tooShort = Assert.ThrowsExactly<ArgumentException>(() => model.Predict(new float[2 * 1], 2));
        StringAssert.Contains(tooShort.Message, "RowFeatureCount 2");
    }

    [TestMethod]
    public void ItemWidthIsRequiredAndRowsMustBeWholeItems()
    {
        var missing = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => (Network with { Set = Network.Set with { ItemWidth = null } }).Validate());
        StringAssert.Contains(missing.Message, "Set.ItemWidth");
        var data = SyntheticRecommendations.ToData(new SyntheticRecommendations(8).Rows(50));
        var wrong = Assert.ThrowsExactly<ArgumentException>(() => MultiTaskTrainer.Train(SyntheticRecommendations.Tasks, data, null,
            Network with { Set = Network.Set with { ItemWidth = 7 } }, new TrainingOptions { Epochs = 1 }));
        StringAssert.Contains(wrong.Message, "ItemWidth 7");

        using var model = Train(100, 1);
        var partial = Assert.ThrowsExactly<ArgumentException>(() => model.Predict(new float[2 * D + 2], 2));
        StringAssert.Contains(partial.Message, $"a whole number of items of Set.ItemWidth {D}");
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.HasCount(expected.Length, actual);
        for (int i = 0; i < expected.Length; i++)
            Assert.AreEqual(expected[i], actual[i], 1e-4, $"element {i}");
    }
}
