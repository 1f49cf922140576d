using Microsoft.ML.OnnxRuntime;
using Mta.Models.Onnx;
using Mta.Models.Options;
using Mta.Models.Training;

namespace Mta.Models.Tests;

/// <summary>A single-row export re-laid out as batched must compute exactly what the batched export computes.</summary>
[TestClass]
public sealed class OnnxRelayoutTests
{
    // Image architectures need image-shaped input: ConvolutionalAttentionTests re-lays them out.
    public static IEnumerable<object[]> Architectures() =>
        Enum.GetValues<Architecture>().Where(a => a is not (Architecture.ConvolutionalAttention or Architecture.SetAttention)).Select(a => new object[] { a });

    [TestMethod]
    [DynamicData(nameof(Architectures))]
    public void SingleRowReLaidOutAsBatchedGivesTheBatchedExportsOutputs(Architecture architecture)
    {
        var train = SyntheticTasks.Make(200, 5, seed: 21);
        using var model = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null,
            new NetworkOptions { Architecture = architecture, ExpertCount = 3, ExpertHiddenSizes = [8] }, new TrainingOptions { Epochs = 1, Seed = 2 });
        var outputs = OnnxExportOptions.DefaultOutputs(model.Tasks)
            .Append(new OnnxOutput("b", OnnxOutputKind.PredictedFlag, "b.PredictedLabel")).ToArray();
        var singleRow = model.ExportOnnx(new OnnxExportOptions { SingleRow = true, Outputs = outputs });

        var relaid = OnnxRelayout.ToBatched(singleRow, outputs);

        var probe = SyntheticTasks.Make(57, 5, seed: 22);
        probe.Features[7] = float.PositiveInfinity;
        var expected = OnnxParityTests.Run(model.ExportOnnx(new OnnxExportOptions { Outputs = outputs }), probe.Features, probe.RowCount, 5);
        var actual = OnnxParityTests.Run(relaid, probe.Features, probe.RowCount, 5);
        CollectionAssert.AreEquivalent(expected.Keys.ToArray(), actual.Keys.ToArray());
        foreach (var (name, values) in expected)
            CollectionAssert.AreEqual(values, actual[name], $"output {name}");
        Assert.IsLessThan(singleRow.Length, relaid.Length + 1, "nothing is added but Identity nodes; unused nodes are dropped");
    }

    [TestMethod]
    public void OutputsCanBeChosenAndUnusedWeightsAreDropped()
    {
        var train = SyntheticTasks.Make(100, 4, seed: 23);
        using var model = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, new NetworkOptions(), new TrainingOptions { Epochs = 1 });
        var relaid = OnnxRelayout.ToBatched(model.ExportOnnx(new OnnxExportOptions { SingleRow = true }),
            [new OnnxOutput("r", OnnxOutputKind.Value, "only_r")]);
        using var session = new InferenceSession(relaid);
        CollectionAssert.AreEqual(new[] { "only_r" }, session.OutputNames.ToArray());
        CollectionAssert.AreEqual(new[] { -1 }, session.OutputMetadata["only_r"].Dimensions);
        CollectionAssert.AreEqual(new[] { -1, 4 }, session.InputMetadata["features"].Dimensions);
    }

    [TestMethod]
    public void BytesThatAreNotOurModelAreRejectedWithAFormatException()
    {
        Assert.ThrowsExactly<FormatException>(() => OnnxRelayout.ToBatched([1, 2, 3, 4, 5], []));
        var foreign = new Mta.Models.Onnx.Proto.ModelProto { IrVersion = 8, Graph = new() { Name = "g" } };
        var e = Assert.ThrowsExactly<FormatException>(() => OnnxRelayout.ToBatched(Google.Protobuf.MessageExtensions.ToByteArray(foreign), []));
        StringAssert.Contains(e.Message, "mta.");
    }
}
