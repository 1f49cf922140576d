using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Mta.Models.Onnx;
using Mta.Models.Options;
using Mta.Models.Tasks;
using Mta.Models.Training;

namespace Mta.Models.Tests;

/// <summary>ONNX Runtime on the exported graph must give TorchSharp's outputs (max abs diff ≤ 1e-5).</summary>
[TestClass]
public sealed class OnnxParityTests
{
    private const double Tolerance = 1e-5;

    public static IEnumerable<object[]> Combinations()
    {
        // Image and set architectures need their own input: ConvolutionalAttentionTests and SetAttentionTests cover their parity.
        foreach (var architecture in SyntheticTasks.TableArchitectures.Select(a => (Architecture)a[0]))
        {
            foreach (var function in Enum.GetValues<AttentionFunction>())
            {
                if (architecture != Architecture.ExpertAttention && function != AttentionFunction.Softmax)
                    continue; // the attention function only applies to expert attention
                foreach (var activation in Enum.GetValues<Activation>())
                {
                    yield return [architecture, function, activation, true];
                    yield return [architecture, function, activation, false];
                }
            }
        }
    }

    [TestMethod]
    [DynamicData(nameof(Combinations))]
    public void OnnxMatchesTorchSharp(Architecture architecture, AttentionFunction function, Activation activation, bool towers)
    {
        var network = TestNetworks.One with
        {
            Architecture = architecture,
            AttentionFunction = function,
            Activation = activation,
            ExpertCount = 3,
            ExpertHiddenSizes = [12, 8],
            TowerHiddenSizes = towers ? [6] : [],
        };
        AssertParity(network);
    }

    /// <summary>An ensemble's members' mean (TabM-mini) in ONNX, on every table architecture.</summary>
    [TestMethod]
    [DynamicData(nameof(SyntheticTasks.TableArchitectures), typeof(SyntheticTasks))]
    public void AnEnsembleMatchesTorchSharp(Architecture architecture) =>
        AssertParity(TestNetworks.One with { Architecture = architecture, ExpertCount = 3, ExpertHiddenSizes = [12, 8], TowerHiddenSizes = [6], EnsembleMembers = 3 });

    /// <summary>Robust scaling's smooth clipping in ONNX.</summary>
    [TestMethod]
    public void RobustScaledInputsMatchTorchSharp() =>
        AssertParity(TestNetworks.One with { NumericEncoding = NumericEncoding.RobustScaled, ExpertCount = 3, ExpertHiddenSizes = [12, 8], TowerHiddenSizes = [6] });

    /// <summary>Temperature scaling lives in the output layers' weights: the exported graph carries it.</summary>
    [TestMethod]
    public void TemperatureScaledScoresMatchTorchSharp() =>
        AssertParity(TestNetworks.One with { ExpertCount = 3, ExpertHiddenSizes = [12, 8], TowerHiddenSizes = [6] }, new TrainingOptions { Epochs = 2, Seed = 3, TemperatureScaling = true });

    /// <summary>An ensemble's per-member output layers pass through temperature scaling and the per-task best epoch.</summary>
    [TestMethod]
    public void AnEnsembleWithTemperatureAndPerTaskBestEpochMatchesTorchSharp() =>
        AssertParity(TestNetworks.One with { ExpertCount = 3, ExpertHiddenSizes = [12, 8], TowerHiddenSizes = [6], EnsembleMembers = 3 },
            new TrainingOptions { Epochs = 3, Seed = 3, TemperatureScaling = true, PerTaskBestEpoch = true });

    private static void AssertParity(NetworkOptions network, TrainingOptions? training = null)
    {
        var train = SyntheticTasks.Make(200, 5, seed: 11);
        using var model = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, network, training ?? new TrainingOptions { Epochs = 2, Seed = 3 });
        var probe = SyntheticTasks.Make(37, 5, seed: 12);
        probe.Features[3] = float.NaN; // imputation must match too

        var expected = model.Predict(probe.Features, probe.RowCount);
        var outputs = OnnxExportOptions.DefaultOutputs(model.Tasks)
            .Concat([new OnnxOutput("b", OnnxOutputKind.Logit, "b_logit"), new OnnxOutput("b", OnnxOutputKind.PredictedFlag, "b_flag"),
                     new OnnxOutput("m", OnnxOutputKind.PredictedClassLabel, "m_label")]).ToArray();
        var actual = Run(model.ExportOnnx(new OnnxExportOptions { Outputs = outputs }), probe.Features, probe.RowCount, 5);

        AssertClose(expected[0].Probabilities!, (float[])actual["b_probability"]);
        AssertClose(expected[0].Score!, (float[])actual["b_logit"]);
        CollectionAssert.AreEqual(expected[0].PredictedIndex!.Select(i => i == 1).ToArray(), (bool[])actual["b_flag"]);
        AssertClose(expected[1].Probabilities!, (float[])actual["m_probabilities"]);
        CollectionAssert.AreEqual(expected[1].PredictedIndex!, (long[])actual["m_predicted_index"]);
        CollectionAssert.AreEqual(expected[1].PredictedIndex!.Select(i => new[] { "low", "mid", "high" }[i]).ToArray(), (string[])actual["m_label"]);
        AssertClose(expected[2].Score!, (float[])actual["r_value"], relative: true);
        foreach (var (task, k) in new[] { ("b", 0), ("m", 1), ("r", 2) })
            AssertClose(expected[k].Attention, (float[])actual[$"{task}_attention"]);
    }

    [TestMethod]
    public void TheExportIsAPlainBatchedGraph()
    {
        var train = SyntheticTasks.Make(200, 4, seed: 13);
        using var model = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, TestNetworks.One, new TrainingOptions { Epochs = 2 });
        var bytes = model.ExportOnnx();
        using var session = new InferenceSession(bytes);
        CollectionAssert.AreEqual(new[] { -1, 4 }, session.InputMetadata["features"].Dimensions);
        Assert.AreEqual(typeof(float), session.InputMetadata["features"].ElementType);
        CollectionAssert.AreEqual(new[] { -1 }, session.OutputMetadata["b_probability"].Dimensions, "a per-row value has shape [N]");
        CollectionAssert.AreEqual(new[] { -1, 3 }, session.OutputMetadata["m_probabilities"].Dimensions);
        var proto = Mta.Models.Onnx.Proto.ModelProto.Parser.ParseFrom(bytes);
        Assert.IsTrue(proto.Graph.Node.All(n => n.Domain.Length == 0), "only standard ONNX operators");
        Assert.IsTrue(proto.OpsetImport.All(o => o.Domain.Length == 0));

        var expected = model.Predict(train.Features[..4], 1);
        var actual = Run(bytes, train.Features[..4], 1, 4);
        AssertClose(expected[0].Probabilities!, (float[])actual["b_probability"]);
        AssertClose(expected[1].Probabilities!, (float[])actual["m_probabilities"]);
    }

    [TestMethod]
    public void MetadataDescribesTheTasks()
    {
        var train = SyntheticTasks.Make(100, 4, seed: 14);
        using var model = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, TestNetworks.One, new TrainingOptions { Epochs = 1 });
        using var session = new InferenceSession(model.ExportOnnx());
        var metadata = session.ModelMetadata.CustomMetadataMap;
        var tasks = OnnxModelMetadata.DeserializeTasks(metadata[OnnxModelMetadata.TasksKey]);
        Assert.AreEqual("m", tasks[1].Name);
        Assert.AreEqual(TaskKind.Multiclass, tasks[1].Kind);
        CollectionAssert.AreEqual(new[] { "low", "mid", "high" }, tasks[1].ClassLabels!.ToArray());
        Assert.AreEqual("4", metadata[OnnxModelMetadata.FeatureCountKey]);
        StringAssert.Contains(metadata[OnnxModelMetadata.NetworkOptionsKey], "ExpertAttention");
    }

    [TestMethod]
    public void AnOutputThatDoesNotFitTheTaskIsRejected()
    {
        var train = SyntheticTasks.Make(100, 4, seed: 15);
        using var model = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, TestNetworks.One, new TrainingOptions { Epochs = 1 });
        var e = Assert.ThrowsExactly<ArgumentException>(() =>
            model.ExportOnnx(new OnnxExportOptions { Outputs = [new OnnxOutput("r", OnnxOutputKind.Probability, "x")] }));
        StringAssert.Contains(e.Message, "'r'");
    }

    internal static Dictionary<string, Array> Run(byte[] model, float[] features, int rows, int width) => OnnxRun.Outputs(model, features, rows, width);

    private static void AssertClose(float[] expected, float[] actual, bool relative = false)
    {
        Assert.HasCount(expected.Length, actual);
        for (int i = 0; i < expected.Length; i++)
        {
            double tolerance = relative ? Tolerance * Math.Max(1, Math.Abs(expected[i])) : Tolerance;
            Assert.AreEqual(expected[i], actual[i], tolerance, $"element {i}");
        }
    }
}
