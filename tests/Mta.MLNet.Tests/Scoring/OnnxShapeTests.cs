using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Mta.MLNet.Scoring;
using Mta.Models.Onnx;
using Mta.Models.Options;
using Mta.Models.Tasks;
using Mta.Models.Tests;
using Mta.Models.Training;
using Mta.SampleData;

namespace Mta.MLNet.Tests.Scoring;

/// <summary>
/// The graphs made from Mta.Models' export: the single-row graph (<see cref="SingleRowGraph"/>) has ML.NET's per-row
/// shapes, and the batched graph made from it (<see cref="BatchedGraph"/>) computes exactly what the export computes.
/// </summary>
[TestClass]
public sealed class OnnxShapeTests
{
    // Image and set architectures need shaped input: tested on their own below.
    public static IEnumerable<object[]> Architectures() =>
        Enum.GetValues<Architecture>().Where(a => a is not (Architecture.ConvolutionalAttention or Architecture.SetAttention)).Select(a => new object[] { a });

    /// <summary>Every output column a model of <see cref="SyntheticTasks"/> has.</summary>
    private static readonly SingleRowColumn[] Columns = [.. OnnxLayouts.SingleRowColumns(SyntheticTasks.Specs)];

    [TestMethod]
    [DynamicData(nameof(Architectures))]
    public void TheBatchedGraphMadeFromTheSingleRowOneGivesTheExportsOutputs(Architecture architecture)
    {
        var train = SyntheticTasks.Make(200, 5, seed: 21);
        using var model = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null,
            new NetworkOptions { Architecture = architecture, ExpertCount = 3, ExpertHiddenSizes = [8] }, new TrainingOptions { Epochs = 1, Seed = 2 });
        var outputs = OnnxLayouts.BatchedOutputs(model.Tasks);
        var exported = model.ExportOnnx(new OnnxExportOptions { Outputs = outputs });
        var singleRow = SingleRowGraph.From(exported, Columns, null, false);

        var batched = BatchedGraph.From(singleRow, outputs);

        var probe = SyntheticTasks.Make(57, 5, seed: 22);
        probe.Features[7] = float.PositiveInfinity;
        AssertSameOutputs(Run(exported, probe.Features, probe.RowCount, 5), Run(batched, probe.Features, probe.RowCount, 5), architecture.ToString());
        Assert.IsLessThan(singleRow.Length, batched.Length + 1, "nothing is added but Identity nodes; unused nodes are dropped");
    }

    [TestMethod]
    public void ImageModelsToo()
    {
        var train = SyntheticImages.Make(60, 2, 8, seed: 3);
        var network = new NetworkOptions { Architecture = Architecture.ConvolutionalAttention, Image = new ImageOptions { ImageShape = [2, 8, 8], ConvChannels = [4, 6] }, TowerHiddenSizes = [8] };
        using var model = MultiTaskTrainer.Train(SyntheticImages.Specs, train, null, network, new TrainingOptions { Epochs = 1 });
        var outputs = OnnxLayouts.BatchedOutputs(model.Tasks);
        var exported = model.ExportOnnx(new OnnxExportOptions { Outputs = outputs });
        var batched = BatchedGraph.From(SingleRowGraph.From(exported, [.. OnnxLayouts.SingleRowColumns(model.Tasks)], null, false), outputs);
        var probe = SyntheticImages.Make(9, 2, 8, seed: 4);
        AssertSameOutputs(Run(exported, probe.Features, 9, 128), Run(batched, probe.Features, 9, 128), "images");
    }

    [TestMethod]
    public void SetModelsTakeRowsOfAnyLengthWhateverWidthTheSingleRowGraphDeclares()
    {
        using var model = TrainSets();
        var outputs = OnnxLayouts.BatchedOutputs(model.Tasks);
        var exported = model.ExportOnnx(new OnnxExportOptions { Outputs = outputs });
        var columns = OnnxLayouts.SingleRowColumns(model.Tasks).ToArray();
        var probe = SyntheticRecommendations.ToData(new SyntheticRecommendations(5, 7).Rows(9));
        var expected = Run(exported, probe.Features, probe.RowCount, probe.FeatureCount);
        foreach (int? rowWidth in new int?[] { null, 7 * SyntheticRecommendations.ItemWidth })
        {
            var singleRow = SingleRowGraph.From(exported, columns, rowWidth, false);
            using (var session = new InferenceSession(singleRow))
            {
                CollectionAssert.AreEqual(new[] { 1, rowWidth ?? -1 }, session.InputMetadata["features"].Dimensions);
                CollectionAssert.AreEqual(rowWidth is null ? new[] { 1, -1 } : new[] { 7 }, session.OutputMetadata["click.Attention"].Dimensions,
                    "a symbolic per-row dim keeps a leading 1");
            }
            var actual = Run(BatchedGraph.From(singleRow, outputs), probe.Features, probe.RowCount, probe.FeatureCount);
            AssertSameOutputs(expected, actual, $"single-row width {(rowWidth is int w ? w : "any")}");
        }
    }

    [TestMethod]
    public void ASingleRowWithoutItemsScoresAsTheModelPredicts()
    {
        using var model = TrainSets();
        var expected = model.Predict([], 1);
        var singleRow = SingleRowGraph.From(model.ExportOnnx(), [.. OnnxLayouts.SingleRowColumns(model.Tasks)], null, false);

        // ML.NET's OnnxTransformer feeds an empty variable-length row to the single-row graph as a [1, 0] tensor.
        var actual = Run(singleRow, [], 1, 0);

        Assert.AreEqual(expected[1].Score![0], ((float[])actual["rating.Score.Vector"])[0], 1e-5);
        Assert.IsEmpty((float[])actual["rating.Attention"]);
    }

    [TestMethod]
    public void TheSingleRowGraphHasPerRowShapesSlotNamesAndTheModelsValues()
    {
        var train = SyntheticTasks.Make(200, 4, seed: 13);
        using var model = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, new NetworkOptions(), new TrainingOptions { Epochs = 2 });
        var row = train.Features[..4];
        var expected = model.Predict(row, 1);

        var bytes = SingleRowGraph.From(model.ExportOnnx(), Columns, null, false);

        using var session = new InferenceSession(bytes);
        CollectionAssert.AreEqual(new[] { 1, 4 }, session.InputMetadata["features"].Dimensions);
        CollectionAssert.AreEqual(new[] { 1 }, session.OutputMetadata["b.Probability.Vector"].Dimensions, "a per-row value has shape [1]");
        CollectionAssert.AreEqual(new[] { 3 }, session.OutputMetadata["m.Score"].Dimensions);
        var actual = Run(bytes, row, 1, 4);
        Assert.AreEqual(expected[0].Probabilities![0], ((float[])actual["b.Probability.Vector"])[0], 1e-5);
        Assert.AreEqual(new[] { "low", "mid", "high" }[expected[1].PredictedIndex![0]], ((string[])actual["m.PredictedLabel.Text.Vector"])[0]);
        var slotNames = Mta.Models.Onnx.Proto.ModelProto.Parser.ParseFrom(bytes).Graph.Node.Single(n => n.Name == "mlnet.m.Score.SlotNames");
        CollectionAssert.AreEqual(new[] { "low", "mid", "high" }, slotNames.Attribute.Single(a => a.Name == "keys_strings").Strings.Select(s => s.ToStringUtf8()).ToArray());
    }

    [TestMethod]
    public void AKeyInputIsUInt32InTheSingleRowGraphAndFloatInTheBatchedOne()
    {
        using var model = MultiTaskTrainer.Train(SyntheticRecommendations.Tasks, SyntheticRecommendations.ToData(new SyntheticRecommendations(1, 4).Rows(100)), null,
            new NetworkOptions { Architecture = Architecture.SetAttention, Set = new SetOptions { ItemWidth = SyntheticRecommendations.ItemWidth }, ExpertHiddenSizes = [8] }, new TrainingOptions { Epochs = 1 });
        var singleRow = SingleRowGraph.From(model.ExportOnnx(), [.. OnnxLayouts.SingleRowColumns(model.Tasks)], null, keyInput: true);
        using (var session = new InferenceSession(singleRow))
            Assert.AreEqual(typeof(uint), session.InputMetadata["features"].ElementType);
        using (var session = new InferenceSession(BatchedGraph.From(singleRow, OnnxLayouts.BatchedOutputs(model.Tasks))))
            Assert.AreEqual(typeof(float), session.InputMetadata["features"].ElementType);
    }

    [TestMethod]
    public void OutputsCanBeChosenAndUnusedWeightsAreDropped()
    {
        var train = SyntheticTasks.Make(100, 4, seed: 23);
        using var model = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, new NetworkOptions(), new TrainingOptions { Epochs = 1 });
        var batched = BatchedGraph.From(SingleRowGraph.From(model.ExportOnnx(), Columns, null, false), [new OnnxOutput("r", OnnxOutputKind.Value, "only_r")]);
        using var session = new InferenceSession(batched);
        CollectionAssert.AreEqual(new[] { "only_r" }, session.OutputNames.ToArray());
        CollectionAssert.AreEqual(new[] { -1 }, session.OutputMetadata["only_r"].Dimensions);
        CollectionAssert.AreEqual(new[] { -1, 4 }, session.InputMetadata["features"].Dimensions);
    }

    [TestMethod]
    public void BytesThatAreNotOurModelAreRejectedWithAFormatException()
    {
        Assert.ThrowsExactly<FormatException>(() => BatchedGraph.From([1, 2, 3, 4, 5], []));
        var foreign = new Mta.Models.Onnx.Proto.ModelProto { IrVersion = 8, Graph = new() { Name = "g" } };
        var e = Assert.ThrowsExactly<FormatException>(() => SingleRowGraph.From(Google.Protobuf.MessageExtensions.ToByteArray(foreign), [], null, false));
        StringAssert.Contains(e.Message, "mta.");
    }

    private static MultiTaskModel TrainSets() =>
        MultiTaskTrainer.Train(SyntheticRecommendations.Tasks, SyntheticRecommendations.ToData(new SyntheticRecommendations(1, 8).Rows(200)), null,
            new NetworkOptions { Architecture = Architecture.SetAttention, Set = new SetOptions { ItemWidth = SyntheticRecommendations.ItemWidth }, ExpertHiddenSizes = [16], TowerHiddenSizes = [8] },
            new TrainingOptions { Epochs = 1, Seed = 2 });

    private static void AssertSameOutputs(Dictionary<string, Array> expected, Dictionary<string, Array> actual, string what)
    {
        CollectionAssert.AreEquivalent(expected.Keys.ToArray(), actual.Keys.ToArray(), what);
        foreach (var (name, values) in expected)
            CollectionAssert.AreEqual(values, actual[name], $"{what}: output {name}");
    }

    private static Dictionary<string, Array> Run(byte[] model, float[] features, int rows, int width) => OnnxRun.Outputs(model, features, rows, width);
}
