using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Mta.Models.Onnx;
using Mta.Models.Onnx.Proto;

namespace Mta.Models.Tests;

/// <summary>
/// The ONNX serialization layer on its own: tiny graphs written by <see cref="OnnxGraphBuilder"/> are run by
/// ONNX Runtime and compared with hand computations, and the bytes are read back with the generated classes.
/// </summary>
[TestClass]
public sealed class OnnxGraphBuilderTests
{
    private const long Opset = 17;

    private static readonly float[] W = [0.5f, -1.0f, 0.25f, 2.0f, -0.75f, 0.1f]; // [3, 2], row-major
    private static readonly float[] B = [0.2f, -0.3f];

    [TestMethod]
    [DataRow(1)]
    [DataRow(5)]
    public void SigmoidOfAffineMatchesHandComputationForAnyBatchSize(int rows)
    {
        var g = new OnnxGraphBuilder("affine");
        g.Input("X", OnnxElementType.Float, -1, 3);
        var w = g.Constant("W", W, 3, 2);
        var b = g.Constant("b", B, 2);
        var product = g.Node("MatMul", ["X", w], "xw");
        var sum = g.Node("Add", [product, b], "xw_b");
        g.Output("Y", OnnxElementType.Float, -1, 2);
        g.NodeWithOutputs("Sigmoid", [sum], ["Y"], null, "");
        var bytes = g.Build(Opset, "tests", "1");

        var x = Enumerable.Range(0, rows * 3).Select(i => (float)Math.Sin(i + 1) * 2).ToArray();
        using var session = new InferenceSession(bytes);
        Assert.AreEqual("N", session.InputMetadata["X"].SymbolicDimensions[0]);
        CollectionAssert.AreEqual(new[] { -1, 3 }, session.InputMetadata["X"].Dimensions);
        CollectionAssert.AreEqual(new[] { -1, 2 }, session.OutputMetadata["Y"].Dimensions);

        using var input = OrtValue.CreateTensorValueFromMemory(x, [rows, 3]);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, ["X"], [input], ["Y"]);
        CollectionAssert.AreEqual(new long[] { rows, 2 }, results[0].GetTensorTypeAndShape().Shape);
        var y = results[0].GetTensorDataAsSpan<float>().ToArray();
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < 2; c++)
            {
                double z = B[c];
                for (int k = 0; k < 3; k++)
                    z += x[(r * 3) + k] * W[(k * 2) + c];
                Assert.AreEqual(1 / (1 + Math.Exp(-z)), y[(r * 2) + c], 1e-6, $"row {r}, column {c}");
            }
        }
    }

    [TestMethod]
    public void ScalarOutputIsDeclaredWithAPresentEmptyShape()
    {
        var g = new OnnxGraphBuilder("scalar");
        g.Input("X", OnnxElementType.Float, -1, 3);
        var total = g.Node("ReduceSum", ["X"], "total", OnnxAttr.Int("keepdims", 1)); // [1, 1]
        g.Output("sum", OnnxElementType.Float);
        g.NodeWithOutputs("Reshape", [total, g.Constant("scalar_shape", Array.Empty<long>(), 0)], ["sum"], null, "");
        var bytes = g.Build(Opset, "tests", "1");

        // The serialized output carries a TensorShapeProto with no dims; an absent shape would mean "unknown".
        var output = ModelProto.Parser.ParseFrom(bytes).Graph.Output.Single();
        Assert.IsNotNull(output.Type.TensorType.Shape, "the scalar's shape must be present");
        Assert.IsEmpty(output.Type.TensorType.Shape.Dim);
        var input = ModelProto.Parser.ParseFrom(bytes).Graph.Input.Single();
        Assert.HasCount(2, input.Type.TensorType.Shape.Dim);

        using var session = new InferenceSession(bytes);
        Assert.IsEmpty(session.OutputMetadata["sum"].Dimensions);
        float[] x = [1, 2, 3, 4, 5, 6.5f];
        using var value = OrtValue.CreateTensorValueFromMemory(x, [2, 3]);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, ["X"], [value], ["sum"]);
        Assert.IsEmpty(results[0].GetTensorTypeAndShape().Shape);
        Assert.AreEqual(21.5f, results[0].GetTensorDataAsSpan<float>()[0], 1e-6f);
    }

    [TestMethod]
    public void StringConstantGatheredByIndexGivesStringOutput()
    {
        var g = new OnnxGraphBuilder("labels");
        g.Input("index", OnnxElementType.Int64, -1);
        var labels = g.Constant("labels", ["cat", "dög", "bird"], 3);
        g.NodeWithOutputs("Gather", [labels, "index"], ["label"], "gather_label", "", OnnxAttr.Int("axis", 0));
        g.Output("label", OnnxElementType.String, -1);
        var bytes = g.Build(Opset, "tests", "1");

        // axis = 0 is written explicitly (proto2 presence), as the official writers do.
        var attribute = ModelProto.Parser.ParseFrom(bytes).Graph.Node.Single().Attribute.Single();
        Assert.IsTrue(attribute.HasI);
        Assert.AreEqual(AttributeProto.Types.AttributeType.Int, attribute.Type);

        using var session = new InferenceSession(bytes);
        using var index = OrtValue.CreateTensorValueFromMemory(new long[] { 2, 0, 1, 0 }, [4]);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, ["index"], [index], ["label"]);
        CollectionAssert.AreEqual(new[] { "bird", "cat", "dög", "cat" }, results[0].GetStringTensorAsArray());
    }

    [TestMethod]
    public void EveryAttributeKindReachesTheRuntime()
    {
        var g = new OnnxGraphBuilder("attributes");
        g.Input("X", OnnxElementType.Float, -1);
        g.NodeWithOutputs("LeakyRelu", ["X"], ["leaky"], null, "", OnnxAttr.Float("alpha", 0.25f));
        g.NodeWithOutputs("Constant", [], ["int"], null, "", OnnxAttr.Int("value_int", -7));
        g.NodeWithOutputs("Constant", [], ["ints"], null, "", OnnxAttr.Ints("value_ints", 3, 0, -2));
        g.NodeWithOutputs("Constant", [], ["float"], null, "", OnnxAttr.Float("value_float", 0f));
        g.NodeWithOutputs("Constant", [], ["floats"], null, "", OnnxAttr.Floats("value_floats", 1.5f, -2.25f));
        g.NodeWithOutputs("Constant", [], ["string"], null, "", OnnxAttr.String("value_string", "héllo"));
        g.NodeWithOutputs("Constant", [], ["strings"], null, "", OnnxAttr.Strings("value_strings", "a", "", "ç"));
        g.Output("leaky", OnnxElementType.Float, -1);
        g.Output("int", OnnxElementType.Int64);
        g.Output("ints", OnnxElementType.Int64, 3);
        g.Output("float", OnnxElementType.Float);
        g.Output("floats", OnnxElementType.Float, 2);
        g.Output("string", OnnxElementType.String);
        g.Output("strings", OnnxElementType.String, 3);
        var bytes = g.Build(Opset, "tests", "1");

        using var session = new InferenceSession(bytes);
        using var x = OrtValue.CreateTensorValueFromMemory(new float[] { -4, 2 }, [2]);
        using var runOptions = new RunOptions();
        string[] names = ["leaky", "int", "ints", "float", "floats", "string", "strings"];
        using var results = session.Run(runOptions, ["X"], [x], names);
        CollectionAssert.AreEqual(new float[] { -1, 2 }, results[0].GetTensorDataAsSpan<float>().ToArray());
        Assert.AreEqual(-7L, results[1].GetTensorDataAsSpan<long>()[0]);
        CollectionAssert.AreEqual(new long[] { 3, 0, -2 }, results[2].GetTensorDataAsSpan<long>().ToArray());
        Assert.AreEqual(0f, results[3].GetTensorDataAsSpan<float>()[0]);
        CollectionAssert.AreEqual(new[] { 1.5f, -2.25f }, results[4].GetTensorDataAsSpan<float>().ToArray());
        CollectionAssert.AreEqual(new[] { "héllo" }, results[5].GetStringTensorAsArray());
        CollectionAssert.AreEqual(new[] { "a", "", "ç" }, results[6].GetStringTensorAsArray());
    }

    [TestMethod]
    public void OtherDomainNodesRunOnceTheirOpsetIsImported()
    {
        var g = new OnnxGraphBuilder("ml");
        g.Input("word", OnnxElementType.String, -1);
        g.NodeWithOutputs("LabelEncoder", ["word"], ["code"], "mlnet.code.SlotNames", "ai.onnx.ml",
            OnnxAttr.Strings("keys_strings", "a", "b"), OnnxAttr.Ints("values_int64s", 10, 20), OnnxAttr.Int("default_int64", -1));
        g.Output("code", OnnxElementType.Int64, -1);
        Assert.ThrowsExactly<InvalidOperationException>(() => g.Build(Opset, "tests", "1"));
        g.ImportOpset("ai.onnx.ml", 2);
        var bytes = g.Build(Opset, "tests", "1");

        var model = ModelProto.Parser.ParseFrom(bytes);
        Assert.AreEqual("mlnet.code.SlotNames", model.Graph.Node.Single().Name);
        CollectionAssert.AreEqual(new[] { "", "ai.onnx.ml" }, model.OpsetImport.Select(o => o.Domain).ToArray());

        using var session = new InferenceSession(bytes);
        using var words = OrtValue.CreateFromStringTensor(new DenseTensor<string>(new[] { "b", "zzz", "a" }, [3]));
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, ["word"], [words], ["code"]);
        CollectionAssert.AreEqual(new long[] { 20, -1, 10 }, results[0].GetTensorDataAsSpan<long>().ToArray());
    }

    [TestMethod]
    public void MetadataAndProducerRoundTripThroughTheRuntime()
    {
        var g = Identity();
        g.Metadata("tasks", "[{\"name\":\"größe → 1\"}]");
        g.Metadata("feature_count", "4");
        g.Metadata("empty", "");
        Assert.ThrowsExactly<ArgumentException>(() => g.Metadata("tasks", "again"));
        using var session = new InferenceSession(g.Build(Opset, "Mta.Models", "9.8.7"));

        var map = session.ModelMetadata.CustomMetadataMap;
        Assert.HasCount(3, map);
        Assert.AreEqual("[{\"name\":\"größe → 1\"}]", map["tasks"]);
        Assert.AreEqual("4", map["feature_count"]);
        Assert.AreEqual("", map["empty"]);
        Assert.AreEqual("Mta.Models", session.ModelMetadata.ProducerName);
        Assert.AreEqual("identity", session.ModelMetadata.GraphName);
    }

    [TestMethod]
    public void UniqueNameNeverClashesWithAnyNameUsedSoFar()
    {
        var g = new OnnxGraphBuilder("names");
        Assert.AreEqual("x", g.UniqueName("x"));
        Assert.AreEqual("x_1", g.UniqueName("x"));
        Assert.AreEqual("x_2", g.UniqueName("x"));
        Assert.AreEqual("x_3", g.Constant("x", [1f]));

        g.Input("in", OnnxElementType.Float, -1);
        Assert.AreEqual("in_1", g.UniqueName("in"));
        g.Output("out", OnnxElementType.Float, -1);
        Assert.AreEqual("out_1", g.UniqueName("out"));
        g.NodeWithOutputs("Identity", ["in"], ["out"], null, "");
        g.NodeWithOutputs("Identity", ["in"], ["explicit"], null, "");
        Assert.AreEqual("explicit_1", g.UniqueName("explicit"));

        // A caller-chosen name that looks like a generated one is skipped, not handed out again.
        g.NodeWithOutputs("Identity", ["in"], ["h_1"], null, "");
        Assert.AreEqual("h", g.UniqueName("h"));
        Assert.AreEqual("h_2", g.UniqueName("h"));
        Assert.AreEqual("h_1_1", g.UniqueName("h_1"));

        var seen = new HashSet<string> { "x", "x_1", "x_2", "x_3", "in", "in_1", "out", "out_1", "explicit", "explicit_1", "h_1", "h", "h_2", "h_1_1" };
        var random = new Random(5);
        for (int i = 0; i < 500; i++)
        {
            string hint = random.Next(3) switch { 0 => "h", 1 => "h_1", _ => $"h_{random.Next(6)}" };
            string name = random.Next(2) == 0 ? g.UniqueName(hint) : g.Node("Identity", ["in"], hint);
            Assert.IsTrue(seen.Add(name), $"'{name}' was handed out twice");
            StringAssert.StartsWith(name, hint);
        }
        g.Build(Opset, "tests", "1"); // still a consistent graph
    }

    [TestMethod]
    public void NamesThatAreProducedTwiceAreRejected()
    {
        var g = new OnnxGraphBuilder("clash");
        g.Input("in", OnnxElementType.Float, -1);
        var r = g.Node("Relu", ["in"], "r");
        Assert.ThrowsExactly<ArgumentException>(() => g.Input("in", OnnxElementType.Float, -1));
        Assert.ThrowsExactly<ArgumentException>(() => g.NodeWithOutputs("Identity", ["in"], [r], null, ""));
        Assert.ThrowsExactly<ArgumentException>(() => g.NodeWithOutputs("Identity", ["in"], ["in"], null, ""));
        Assert.ThrowsExactly<ArgumentException>(() => g.NodeWithOutputs("Split", ["in"], ["a", "a"], null, ""));
        g.Output("y", OnnxElementType.Float, -1);
        Assert.ThrowsExactly<ArgumentException>(() => g.Output("y", OnnxElementType.Float, -1));
        g.NodeWithOutputs("Identity", [r], ["y"], null, "");
        Assert.ThrowsExactly<ArgumentException>(() => g.NodeWithOutputs("Identity", [r], ["y"], null, ""));
        Assert.ThrowsExactly<ArgumentException>(() => g.Constant("c", [1f, 2f], 3));
        Assert.ThrowsExactly<ArgumentException>(() => g.Node("Relu", ["in"], "z", OnnxAttr.Int("a", 1), OnnxAttr.Int("a", 2)));
        Assert.ThrowsExactly<ArgumentException>(() => g.Node("Relu", ["in"], "z", default(OnnxAttr)));
        g.Build(Opset, "tests", "1");
    }

    [TestMethod]
    public void EveryNodeGetsAUniqueName()
    {
        var g = new OnnxGraphBuilder("nodes");
        g.Input("in", OnnxElementType.Float, -1);
        g.NodeWithOutputs("Relu", ["in"], ["a"], "Relu_0", "");
        var b = g.Node("Relu", ["a"], "b");
        var c = g.Node("Relu", [b], "c");
        g.Node("Sigmoid", [c], "d");
        Assert.ThrowsExactly<ArgumentException>(() => g.NodeWithOutputs("Relu", ["in"], ["e"], "Relu_1", ""));
        var names = ModelProto.Parser.ParseFrom(g.Build(Opset, "tests", "1")).Graph.Node.Select(n => n.Name).ToArray();
        CollectionAssert.AreEqual(new[] { "Relu_0", "Relu_1", "Relu_2", "Sigmoid_0" }, names);
    }

    [TestMethod]
    public void InconsistentGraphsAreRejectedAtBuild()
    {
        var unproduced = Identity();
        unproduced.Output("missing", OnnxElementType.Float, -1);
        StringAssert.Contains(Assert.ThrowsExactly<InvalidOperationException>(() => unproduced.Build(Opset, "t", "1")).Message, "'missing'");

        var readsUnknown = Identity();
        readsUnknown.Node("Relu", ["nowhere"], "r");
        StringAssert.Contains(Assert.ThrowsExactly<InvalidOperationException>(() => readsUnknown.Build(Opset, "t", "1")).Message, "'nowhere'");

        // Reading a value before the node that produces it is added breaks ONNX's topological order.
        var outOfOrder = new OnnxGraphBuilder("order");
        outOfOrder.Input("in", OnnxElementType.Float, -1);
        var later = outOfOrder.UniqueName("later");
        outOfOrder.Node("Relu", [later], "r");
        outOfOrder.NodeWithOutputs("Identity", ["in"], [later], null, "");
        Assert.ThrowsExactly<InvalidOperationException>(() => outOfOrder.Build(Opset, "t", "1"));

        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Identity().Build(1000, "t", "1"));
    }

    [TestMethod]
    [DataRow(17L, 8L)]
    [DataRow(18L, 8L)]
    [DataRow(19L, 9L)]
    [DataRow(20L, 9L)]
    [DataRow(21L, 10L)]
    public void IrVersionIsTheLowestThatSupportsTheOpsetAndTheRuntimeLoadsIt(long opset, long irVersion)
    {
        var bytes = Identity().Build(opset, "tests", "1");
        var model = ModelProto.Parser.ParseFrom(bytes);
        Assert.AreEqual(irVersion, model.IrVersion);
        Assert.AreEqual(opset, model.OpsetImport.Single().Version);
        Assert.AreEqual("", model.OpsetImport.Single().Domain);

        using var session = new InferenceSession(bytes);
        using var x = OrtValue.CreateTensorValueFromMemory(new float[] { 1.5f, -2 }, [2]);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, ["in"], [x], ["out"]);
        CollectionAssert.AreEqual(new[] { 1.5f, -2f }, results[0].GetTensorDataAsSpan<float>().ToArray());
    }

    [TestMethod]
    public void InitializersAreStoredCompactlyAndReadBackExactly()
    {
        var g = new OnnxGraphBuilder("init");
        float[] weights = [1.25f, -0f, float.Epsilon, -3.5e7f, 0.1f, 42f];
        var f = g.Constant("f", weights, 2, 3);
        var l = g.Constant("l", new long[] { -1, 0, long.MaxValue }, 3);
        var s = g.Constant("s", ["one"]);
        var model = ModelProto.Parser.ParseFrom(g.Build(Opset, "tests", "1"));

        var floats = model.Graph.Initializer.Single(t => t.Name == f);
        Assert.AreEqual((int)TensorProto.Types.DataType.Float, floats.DataType);
        CollectionAssert.AreEqual(new long[] { 2, 3 }, floats.Dims.ToArray());
        Assert.IsEmpty(floats.FloatData);
        var raw = floats.RawData.ToByteArray();
        Assert.HasCount(weights.Length * 4, raw);
        for (int i = 0; i < weights.Length; i++)
            Assert.AreEqual(BitConverter.SingleToInt32Bits(weights[i]), System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(raw.AsSpan(i * 4)), $"float {i}");

        var longs = model.Graph.Initializer.Single(t => t.Name == l);
        Assert.AreEqual((int)TensorProto.Types.DataType.Int64, longs.DataType);
        CollectionAssert.AreEqual(new long[] { -1, 0, long.MaxValue }, longs.Int64Data.ToArray());

        var strings = model.Graph.Initializer.Single(t => t.Name == s);
        Assert.AreEqual((int)TensorProto.Types.DataType.String, strings.DataType);
        Assert.IsEmpty(strings.Dims);
        Assert.AreEqual("one", strings.StringData.Single().ToStringUtf8());
        Assert.IsEmpty(model.Graph.Input, "initializers are not graph inputs");
    }

    private static OnnxGraphBuilder Identity()
    {
        var g = new OnnxGraphBuilder("identity");
        g.Input("in", OnnxElementType.Float, -1);
        g.NodeWithOutputs("Identity", ["in"], ["out"], null, "");
        g.Output("out", OnnxElementType.Float, -1);
        return g;
    }
}
