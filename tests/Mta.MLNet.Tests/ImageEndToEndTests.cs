using Microsoft.ML;
using Microsoft.ML.Data;
using Mta.Models.Options;

namespace Mta.MLNet.Tests;

/// <summary>Convolutional attention through ML.NET: an image column as ExtractPixels makes it, fit, attention maps, save/load.</summary>
[TestClass]
public sealed class ImageEndToEndTests
{
    private const int Size = 8;

    private sealed class ImageRow
    {
        [VectorType(Size * Size)] public float[] Pixels { get; set; } = [];
        public string Quadrant { get; set; } = "";
        public bool Present { get; set; }
    }

    private static IDataView Images(MLContext ml, int rows, int seed)
    {
        var rng = new Random(seed);
        string[] names = ["top left", "top right", "bottom left", "bottom right"];
        return ml.Data.LoadFromEnumerable(Enumerable.Range(0, rows).Select(_ =>
        {
            var pixels = Enumerable.Range(0, Size * Size).Select(_ => (float)rng.NextDouble() * 0.5f).ToArray();
            int q = rng.Next(4);
            bool present = rng.NextDouble() < 0.8;
            if (present)
            {
                for (int r = 0; r < 3; r++)
                {
                    for (int c = 0; c < 3; c++)
                        pixels[((q / 2) * 4 + r) * Size + (q % 2) * 4 + c] += 1.5f;
                }
            }
            return new ImageRow { Pixels = pixels, Quadrant = names[q], Present = present };
        }).ToArray());
    }

    [TestMethod]
    public void FitScoreAndSaveLoadWithAttentionMaps()
    {
        var ml = new MLContext(seed: 1);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Quadrant")
            .Append(ml.MultiTask().Attention(new MultiTaskOptions
            {
                FeatureColumnName = "Pixels",
                Tasks = [new TaskColumn("Quadrant"), new TaskColumn("Present")],
                Network = new NetworkOptions { Architecture = Architecture.ConvolutionalAttention, Image = new ImageOptions { ImageShape = [1, Size, Size], ConvChannels = [8, 8] } },
                Training = new() { Epochs = 12, Seed = 2 },
            }));
        var train = Images(ml, 1000, seed: 3);
        var model = pipeline.Fit(train);
        var test = Images(ml, 200, seed: 4);
        var scored = model.Transform(test);

        var metrics = ml.MultiTask().Evaluate(scored, "Quadrant", "Present");
        Assert.IsGreaterThan(0.6, metrics["Quadrant"].Multiclass!.MacroAccuracy, "well above the 0.25 of guessing");
        Assert.IsGreaterThan(0.9, metrics["Present"].Binary!.AreaUnderRocCurve);
        var attention = scored.GetColumn<float[]>("Quadrant.Attention").First();
        Assert.HasCount(4, attention, "one weight per cell of the 2×2 grid after two pooling blocks");
        Assert.IsTrue(attention.All(a => a is > 0 and < 1), "sigmoid masks");

        using var stream = new MemoryStream();
        ml.Model.Save(model, train.Schema, stream);
        stream.Position = 0;
        var plain = new MLContext().Model.Load(stream, out _);
        stream.Position = 0;
        var batched = new MLContext().MultiTask().Load(stream, out _);

        var expected = scored.GetColumn<float[]>("Quadrant.Score").SelectMany(v => v).ToArray();
        var viaPlain = plain.Transform(test).GetColumn<float[]>("Quadrant.Score").SelectMany(v => v).ToArray();
        for (int i = 0; i < expected.Length; i++)
            Assert.AreEqual(expected[i], viaPlain[i], 1e-5, $"plain ML.NET load, value {i}");
        CollectionAssert.AreEqual(expected, batched.Transform(test).GetColumn<float[]>("Quadrant.Score").SelectMany(v => v).ToArray(), "batched reload");
        model.LastTransformer.Dispose();
    }
}
