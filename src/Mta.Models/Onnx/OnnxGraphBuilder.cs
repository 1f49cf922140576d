using System.Runtime.InteropServices;
using System.Text;
using Google.Protobuf;
using Mta.Models.Onnx.Proto;

namespace Mta.Models.Onnx;

/// <summary>
/// Builds an ONNX GraphProto node by node and wraps it in a ModelProto. Hands out unique value names, so callers
/// give readable hints ("expert0_matmul") and never worry about clashes.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    /// <summary>The symbolic name of the dynamic batch axis.</summary>
    public const string BatchDimension = "N";

    private readonly GraphProto _graph;
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reserved = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _opsets = new(StringComparer.Ordinal);
    private readonly List<StringStringEntryProto> _metadata = [];
    private int _nodeCounter;

    public OnnxGraphBuilder(string graphName) => _graph = new GraphProto { Name = graphName };

    /// <summary><paramref name="hint"/>, or hint_1, hint_2 ...: never a name used before in this graph.</summary>
    public string UniqueName(string hint)
    {
        string name = hint;
        for (int i = 1; !_names.Add(name); i++)
            name = $"{hint}_{i}";
        return name;
    }

    /// <summary>
    /// Keeps <paramref name="name"/> out of <see cref="UniqueName"/>'s hands so a later
    /// <see cref="NodeWithOutputs"/> can produce it (graph outputs are named by the caller).
    /// </summary>
    public void Reserve(string name)
    {
        if (!_names.Add(name))
            throw new ArgumentException($"ONNX value name '{name}' is already used in this graph.", nameof(name));
        _reserved.Add(name);
    }

    /// <summary>A unique name (see <see cref="UniqueName"/>) reserved for a later <see cref="NodeWithOutputs"/>.</summary>
    public string ReserveUnique(string hint)
    {
        string name = UniqueName(hint);
        _reserved.Add(name);
        return name;
    }

    /// <summary>A float initializer, stored as little-endian raw_data (compact and fast to parse).</summary>
    public string Constant(string hint, float[] values, params long[] dims)
    {
        var tensor = NewTensor(hint, OnnxElementType.Float, values.Length, dims);
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));
        return Add(tensor);
    }

    /// <summary>An int64 initializer (raw_data, little-endian).</summary>
    public string Constant(string hint, long[] values, params long[] dims)
    {
        var tensor = NewTensor(hint, OnnxElementType.Int64, values.Length, dims);
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));
        return Add(tensor);
    }

    /// <summary>A string initializer (string_data; ONNX has no raw form for strings).</summary>
    public string Constant(string hint, string[] values, params long[] dims)
    {
        var tensor = NewTensor(hint, OnnxElementType.String, values.Length, dims);
        tensor.StringData.AddRange(values.Select(v => ByteString.CopyFrom(Encoding.UTF8.GetBytes(v))));
        return Add(tensor);
    }

    /// <summary>A node with one output, named uniquely after <paramref name="outputHint"/>; returns that name.</summary>
    public string Node(string opType, IReadOnlyList<string> inputs, string outputHint, params OnnxAttr[] attributes)
    {
        string output = UniqueName(outputHint);
        AddNode(opType, inputs, [output], null, "", attributes);
        return output;
    }

    /// <summary>A node with caller-chosen output names (for graph outputs) and an optional node name and domain.</summary>
    public void NodeWithOutputs(string opType, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, string? nodeName, string domain, params OnnxAttr[] attributes)
    {
        foreach (var output in outputs)
        {
            if (!_reserved.Remove(output) && !_names.Add(output))
                throw new ArgumentException($"ONNX value name '{output}' is already used in this graph.", nameof(outputs));
        }
        AddNode(opType, inputs, outputs, nodeName, domain, attributes);
    }

    /// <summary>A graph input; a negative dim becomes the symbolic batch axis.</summary>
    public void Input(string name, OnnxElementType type, params long[] dims)
    {
        if (!_names.Add(name))
            throw new ArgumentException($"ONNX value name '{name}' is already used in this graph.", nameof(name));
        _graph.Input.Add(ValueInfo(name, type, dims));
    }

    /// <summary>A graph output (its value must be produced under this name); zero dims = a scalar.</summary>
    public void Output(string name, OnnxElementType type, params long[] dims) => _graph.Output.Add(ValueInfo(name, type, dims));

    public void Metadata(string key, string value) => _metadata.Add(new StringStringEntryProto { Key = key, Value = value });

    /// <summary>Declares an extra operator domain, e.g. "ai.onnx.ml".</summary>
    public void ImportOpset(string domain, long version) => _opsets[domain] = version;

    /// <summary>The serialized ModelProto.</summary>
    public byte[] Build(long opsetVersion, string producerName, string producerVersion)
    {
        var model = new ModelProto
        {
            IrVersion = IrVersionFor(opsetVersion),
            ProducerName = producerName,
            ProducerVersion = producerVersion,
            ModelVersion = 1,
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opsetVersion });
        foreach (var (domain, version) in _opsets)
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = version });
        model.MetadataProps.AddRange(_metadata);
        return model.ToByteArray();
    }

    /// <summary>The IR version that introduced support for an opset (ONNX's versioning table).</summary>
    private static long IrVersionFor(long opset) => opset switch
    {
        <= 16 => 8,
        17 => 8,
        <= 19 => 9,
        <= 21 => 10,
        _ => 11,
    };

    private void AddNode(string opType, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, string? nodeName, string domain, OnnxAttr[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = nodeName ?? $"{opType}_{_nodeCounter++}" };
        if (domain.Length > 0)
            node.Domain = domain;
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes.Select(a => a.Proto));
        _graph.Node.Add(node);
    }

    private TensorProto NewTensor(string hint, OnnxElementType type, int count, long[] dims)
    {
        long expected = dims.Aggregate(1L, (a, b) => a * b);
        if (expected != count)
            throw new ArgumentException($"Initializer '{hint}': {count} values do not fill shape [{string.Join(", ", dims)}].", nameof(dims));
        var tensor = new TensorProto { Name = UniqueName(hint), DataType = (int)type };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    private string Add(TensorProto tensor)
    {
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    private static ValueInfoProto ValueInfo(string name, OnnxElementType type, long[] dims)
    {
        // The shape message is always set, even with no dims: "present and empty" is how a scalar is declared.
        var shape = new TensorShapeProto();
        foreach (long d in dims)
            shape.Dim.Add(d < 0 ? new TensorShapeProto.Types.Dimension { DimParam = BatchDimension } : new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }
}
