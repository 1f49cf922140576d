using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Mta.Models.Onnx.Proto;

namespace Mta.Models.Onnx;

/// <summary>
/// Builds one ONNX graph node by node and serializes it as a ModelProto. Value names are handed out uniquely
/// (callers give readable hints such as "expert0_matmul" and never worry about clashes); every node gets a
/// unique name too. Nodes must be added in topological order (each input produced before it is read);
/// <see cref="Build"/> checks that, and that every graph output has a producer.
/// </summary>
/// <remarks>
/// Value names live in one namespace: graph inputs, initializers, node outputs and the names handed out by
/// <see cref="UniqueName"/>. A name is "used" once handed out or given (so <see cref="UniqueName"/> never returns
/// it again) and may be produced (by a graph input, an initializer or a node output) at most once. A graph output
/// may be declared with <see cref="Output"/> before or after the node that produces it.
/// </remarks>
internal sealed class OnnxGraphBuilder
{
    /// <summary>The symbolic name given to a dynamic (negative) dim of a graph input or output.</summary>
    public const string BatchDimension = "N";

    /// <summary>Symbolic dim of a row's values when rows are sets of items of any length (<see cref="ValuesDim"/>).</summary>
    public const string ValuesDimension = "values";

    /// <summary>Symbolic dim of a row's items (a set model's attention output, <see cref="ItemsDim"/>).</summary>
    public const string ItemsDimension = "items";

    /// <summary>Pass as a dim for <see cref="ValuesDimension"/>.</summary>
    public const long ValuesDim = -2;

    /// <summary>Pass as a dim for <see cref="ItemsDimension"/>.</summary>
    public const long ItemsDim = -3;

    private readonly string _graphName;
    private readonly List<NodeProto> _nodes = [];
    private readonly List<TensorProto> _initializers = [];
    private readonly List<ValueInfoProto> _inputs = [];
    private readonly List<ValueInfoProto> _outputs = [];
    private readonly List<StringStringEntryProto> _metadata = [];
    private readonly List<OperatorSetIdProto> _extraOpsets = [];

    private readonly HashSet<string> _usedValueNames = new(StringComparer.Ordinal);
    private readonly HashSet<string> _producedValueNames = new(StringComparer.Ordinal);
    private readonly HashSet<string> _outputNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _nextValueSuffix = new(StringComparer.Ordinal);
    private readonly HashSet<string> _nodeNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _nextNodeSuffix = new(StringComparer.Ordinal);
    private readonly HashSet<string> _metadataKeys = new(StringComparer.Ordinal);

    /// <summary>Starts an empty graph called <paramref name="graphName"/>.</summary>
    public OnnxGraphBuilder(string graphName)
    {
        ArgumentException.ThrowIfNullOrEmpty(graphName);
        _graphName = graphName;
    }

    /// <summary>
    /// <paramref name="hint"/> itself, or else the first of hint_1, hint_2, ... that no value of this graph uses
    /// (not a name handed out before, nor an input, output, initializer or node output). The name is taken from
    /// then on; the caller may produce it with <see cref="NodeWithOutputs"/>.
    /// </summary>
    public string UniqueName(string hint)
    {
        ArgumentException.ThrowIfNullOrEmpty(hint);
        return Take(_usedValueNames, _nextValueSuffix, hint, bareFirst: true);
    }

    /// <summary>
    /// Takes <paramref name="name"/> exactly, so <see cref="UniqueName"/> never hands it out; throws if it is
    /// already used. (For callers that name their graph outputs before producing them; <see cref="Output"/> and
    /// <see cref="NodeWithOutputs"/> register their names by themselves.)
    /// </summary>
    public void Reserve(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!_usedValueNames.Add(name))
            throw new ArgumentException($"ONNX value name '{name}' is already used in this graph.", nameof(name));
    }

    /// <summary>The same as <see cref="UniqueName"/> (the name is reserved for a later <see cref="NodeWithOutputs"/>).</summary>
    public string ReserveUnique(string hint) => UniqueName(hint);

    /// <summary>
    /// A float initializer of shape <paramref name="dims"/> (none = a scalar), row-major; returns its unique name.
    /// </summary>
    /// <remarks>
    /// Stored in raw_data as little-endian IEEE floats rather than in float_data. The size is the same (a packed
    /// float_data is also 4 bytes a value), but raw_data is one block copy on both sides: here it is the array's
    /// own bytes, and ONNX Runtime reads the tensor straight from those bytes instead of decoding a repeated
    /// protobuf field value by value, which matters for weight matrices. It is also the layout every major
    /// exporter writes. raw_data is little-endian by definition, so a big-endian host converts explicitly.
    /// </remarks>
    public string Constant(string hint, float[] values, params long[] dims)
    {
        ArgumentNullException.ThrowIfNull(values);
        var tensor = NewInitializer(hint, OnnxElementType.Float, values.Length, dims);
        tensor.RawData = LittleEndianBytes(values);
        return AddInitializer(tensor);
    }

    /// <summary>An int64 initializer (shapes, axes, indices); stored in int64_data, which is compact for small values.</summary>
    public string Constant(string hint, long[] values, params long[] dims)
    {
        ArgumentNullException.ThrowIfNull(values);
        var tensor = NewInitializer(hint, OnnxElementType.Int64, values.Length, dims);
        tensor.Int64Data.AddRange(values);
        return AddInitializer(tensor);
    }

    /// <summary>A string initializer, stored as UTF-8 in string_data (ONNX has no raw form for strings).</summary>
    public string Constant(string hint, string[] values, params long[] dims)
    {
        ArgumentNullException.ThrowIfNull(values);
        var tensor = NewInitializer(hint, OnnxElementType.String, values.Length, dims);
        foreach (var value in values)
            tensor.StringData.Add(OnnxAttr.Utf8(value ?? throw new ArgumentException($"Initializer '{hint}' has a null string.", nameof(values))));
        return AddInitializer(tensor);
    }

    /// <summary>
    /// A node of the default domain with one output, named uniquely after <paramref name="outputHint"/>;
    /// returns that name.
    /// </summary>
    public string Node(string opType, IReadOnlyList<string> inputs, string outputHint, params OnnxAttr[] attributes)
    {
        ArgumentException.ThrowIfNullOrEmpty(opType);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentException.ThrowIfNullOrEmpty(outputHint);
        ArgumentNullException.ThrowIfNull(attributes);
        var node = NewNode(opType, inputs, null, "", attributes);
        string output = UniqueName(outputHint);
        Produce(output, nameof(outputHint));
        node.Output.Add(output);
        _nodes.Add(node);
        return output;
    }

    /// <summary>
    /// A node with caller-chosen output names (e.g. graph output names; "" skips an optional output), an explicit
    /// node name (null = op type + counter) and operator domain ("" = the default ONNX domain; any other domain
    /// must be declared with <see cref="ImportOpset"/> before <see cref="Build"/>).
    /// </summary>
    public void NodeWithOutputs(string opType, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, string? nodeName, string domain, params OnnxAttr[] attributes)
    {
        ArgumentException.ThrowIfNullOrEmpty(opType);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(attributes);
        if (nodeName is { Length: 0 })
            throw new ArgumentException("A node name, when given, must not be empty.", nameof(nodeName));
        foreach (var output in outputs)
        {
            ArgumentNullException.ThrowIfNull(output, nameof(outputs));
            if (output.Length > 0 && _producedValueNames.Contains(output))
                throw new ArgumentException($"ONNX value '{output}' already has a producer in this graph.", nameof(outputs));
        }
        if (outputs.Where(o => o.Length > 0).GroupBy(o => o, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new ArgumentException($"ONNX value '{twice.Key}' is listed twice among the outputs of one node.", nameof(outputs));

        var node = NewNode(opType, inputs, nodeName, domain, attributes);
        foreach (var output in outputs)
        {
            if (output.Length > 0)
                Produce(output, nameof(outputs));
            node.Output.Add(output);
        }
        _nodes.Add(node);
    }

    /// <summary>A graph input (a value the caller feeds); a dim &lt; 0 becomes the symbolic dim "N" (or see <see cref="ValuesDim"/>, <see cref="ItemsDim"/>).</summary>
    public void Input(string name, OnnxElementType type, params long[] dims)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var info = ValueInfo(name, type, dims);
        Produce(name, nameof(name));
        _inputs.Add(info);
    }

    /// <summary>
    /// A graph output, to be produced under this name by a node (before or after this call), an input or an
    /// initializer. A dim &lt; 0 becomes the symbolic dim "N"; no dims declares a scalar: the shape is written
    /// present and empty, which is how ONNX tells a scalar from an unknown shape.
    /// </summary>
    public void Output(string name, OnnxElementType type, params long[] dims)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var info = ValueInfo(name, type, dims);
        if (!_outputNames.Add(name))
            throw new ArgumentException($"ONNX graph output '{name}' is declared twice.", nameof(name));
        _usedValueNames.Add(name);
        _outputs.Add(info);
    }

    /// <summary>A model-level metadata entry (ModelProto.metadata_props); keys must be unique.</summary>
    public void Metadata(string key, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        if (!_metadataKeys.Add(key))
            throw new ArgumentException($"Metadata key '{key}' is set twice (ONNX requires unique keys).", nameof(key));
        _metadata.Add(new StringStringEntryProto { Key = key, Value = value });
    }

    /// <summary>Declares an operator set of another domain, e.g. ("ai.onnx.ml", 2). The default domain's comes from <see cref="Build"/>.</summary>
    public void ImportOpset(string domain, long version)
    {
        ArgumentException.ThrowIfNullOrEmpty(domain);
        if (domain == "ai.onnx")
            throw new ArgumentException("The default ONNX domain's opset is the one given to Build.", nameof(domain));
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        if (_extraOpsets.Find(o => o.Domain == domain) is { } existing)
        {
            if (existing.Version != version)
                throw new ArgumentException($"Opset domain '{domain}' is imported as both version {existing.Version} and {version}.", nameof(version));
            return;
        }
        _extraOpsets.Add(new OperatorSetIdProto { Domain = domain, Version = version });
    }

    /// <summary>
    /// The serialized ModelProto: the graph, the default-domain opset <paramref name="opsetVersion"/> plus the
    /// imported ones, the metadata, and the lowest IR version that supports those opsets (ONNX's release table:
    /// opset 15-18 → IR 8, 19-20 → 9, 21-22 → 10, 23 → 11, 24 → 12, 25-27 → 13), so older runtimes can load it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The graph is inconsistent: a node reads a value before it is
    /// produced, a graph output is never produced, or a node's domain was not imported.</exception>
    public byte[] Build(long opsetVersion, string producerName, string producerVersion)
    {
        ArgumentNullException.ThrowIfNull(producerName);
        ArgumentNullException.ThrowIfNull(producerVersion);
        long irVersion = IrVersionForDefaultOpset(opsetVersion);
        foreach (var opset in _extraOpsets)
            irVersion = Math.Max(irVersion, IrVersionForOtherOpset(opset.Domain, opset.Version));
        Validate();

        var graph = new GraphProto { Name = _graphName };
        graph.Node.AddRange(_nodes);
        graph.Initializer.AddRange(_initializers);
        graph.Input.AddRange(_inputs);
        graph.Output.AddRange(_outputs);

        var model = new ModelProto
        {
            IrVersion = irVersion,
            ProducerName = producerName,
            ProducerVersion = producerVersion,
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opsetVersion });
        model.OpsetImport.AddRange(_extraOpsets);
        model.MetadataProps.AddRange(_metadata);
        return model.ToByteArray();
    }

    /// <summary>The lowest IR version whose ONNX release defines default-domain opset <paramref name="opset"/>.</summary>
    internal static long IrVersionForDefaultOpset(long opset) => opset switch
    {
        >= 1 and <= 8 => 3,
        9 => 4,
        10 => 5,
        11 => 6,
        >= 12 and <= 14 => 7,
        >= 15 and <= 18 => 8,
        19 or 20 => 9,
        21 or 22 => 10,
        23 => 11,
        24 => 12,
        >= 25 and <= 27 => 13,
        _ => throw new ArgumentOutOfRangeException(nameof(opset), opset,
            "Unknown ONNX opset: the IR version for it is not known (extend the table from ONNX's docs/Versioning.md)."),
    };

    /// <summary>The lowest IR version for an opset of another domain (ai.onnx.ml's table; others add no constraint).</summary>
    internal static long IrVersionForOtherOpset(string domain, long version) => domain switch
    {
        "ai.onnx.ml" => version switch
        {
            1 => 3,
            2 => 6,
            3 => 8,
            4 => 9,
            _ => 10,
        },
        _ => 3,
    };

    private void Validate()
    {
        var imported = new HashSet<string>(_extraOpsets.Select(o => o.Domain), StringComparer.Ordinal) { "", "ai.onnx" };
        var available = new HashSet<string>(_inputs.Select(i => i.Name), StringComparer.Ordinal);
        available.UnionWith(_initializers.Select(t => t.Name));
        foreach (var node in _nodes)
        {
            if (!imported.Contains(node.Domain))
                throw new InvalidOperationException($"Node '{node.Name}' uses operator domain '{node.Domain}', which is not imported (call ImportOpset).");
            foreach (var input in node.Input)
            {
                if (input.Length > 0 && !available.Contains(input))
                    throw new InvalidOperationException($"Node '{node.Name}' ({node.OpType}) reads '{input}', which no graph input, initializer or earlier node produces.");
            }
            available.UnionWith(node.Output.Where(o => o.Length > 0));
        }
        foreach (var output in _outputs)
        {
            if (!available.Contains(output.Name))
                throw new InvalidOperationException($"Graph output '{output.Name}' is never produced.");
        }
    }

    private NodeProto NewNode(string opType, IReadOnlyList<string> inputs, string? nodeName, string domain, OnnxAttr[] attributes)
    {
        var node = new NodeProto { OpType = opType };
        if (domain.Length > 0)
            node.Domain = domain;
        foreach (var input in inputs)
            node.Input.Add(input ?? throw new ArgumentException($"A {opType} node has a null input name (use \"\" to skip an optional input).", nameof(inputs)));
        var attributeNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var attribute in attributes)
        {
            var proto = attribute.ToProto();
            if (!attributeNames.Add(proto.Name))
                throw new ArgumentException($"A {opType} node has attribute '{proto.Name}' twice.", nameof(attributes));
            node.Attribute.Add(proto);
        }
        // Named last, once nothing can throw, so a rejected node does not take a name.
        if (nodeName is null)
        {
            node.Name = Take(_nodeNames, _nextNodeSuffix, opType, bareFirst: false);
        }
        else
        {
            if (!_nodeNames.Add(nodeName))
                throw new ArgumentException($"ONNX node name '{nodeName}' is already used in this graph.", nameof(nodeName));
            node.Name = nodeName;
        }
        return node;
    }

    private TensorProto NewInitializer(string hint, OnnxElementType type, int count, long[] dims)
    {
        ArgumentException.ThrowIfNullOrEmpty(hint);
        ArgumentNullException.ThrowIfNull(dims);
        long elements = 1;
        foreach (long d in dims)
        {
            if (d < 0)
                throw new ArgumentException($"Initializer '{hint}' has a negative dim in shape [{string.Join(", ", dims)}].", nameof(dims));
            elements = checked(elements * d);
        }
        if (elements != count)
            throw new ArgumentException($"Initializer '{hint}': {count} values do not fill shape [{string.Join(", ", dims)}].", nameof(dims));
        var tensor = new TensorProto { Name = UniqueName(hint), DataType = (int)type };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    private string AddInitializer(TensorProto tensor)
    {
        _producedValueNames.Add(tensor.Name);
        _initializers.Add(tensor);
        return tensor.Name;
    }

    private void Produce(string name, string paramName)
    {
        if (!_producedValueNames.Add(name))
            throw new ArgumentException($"ONNX value '{name}' already has a producer in this graph.", paramName);
        _usedValueNames.Add(name);
    }

    /// <summary>hint (if <paramref name="bareFirst"/>) or the first free hint_k, taken from <paramref name="used"/>.</summary>
    private static string Take(HashSet<string> used, Dictionary<string, int> nextSuffix, string hint, bool bareFirst)
    {
        if (bareFirst && used.Add(hint))
            return hint;
        int k = nextSuffix.GetValueOrDefault(hint, bareFirst ? 1 : 0);
        string name;
        do
        {
            name = $"{hint}_{k++}";
        }
        while (!used.Add(name));
        nextSuffix[hint] = k;
        return name;
    }

    private static ByteString LittleEndianBytes(float[] values)
    {
        if (BitConverter.IsLittleEndian)
            return ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));
        var bytes = new byte[checked(values.Length * sizeof(float))];
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        return UnsafeByteOperations.UnsafeWrap(bytes);
    }

    /// <summary>A fixed dim, or the symbolic one a negative dim stands for (<see cref="BatchDimension"/>, <see cref="ValuesDim"/>, <see cref="ItemsDim"/>).</summary>
    internal static TensorShapeProto.Types.Dimension Dimension(long d) => d switch
    {
        ValuesDim => new TensorShapeProto.Types.Dimension { DimParam = ValuesDimension },
        ItemsDim => new TensorShapeProto.Types.Dimension { DimParam = ItemsDimension },
        < 0 => new TensorShapeProto.Types.Dimension { DimParam = BatchDimension },
        _ => new TensorShapeProto.Types.Dimension { DimValue = d },
    };

    internal static ValueInfoProto ValueInfo(string name, OnnxElementType type, long[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        if (!Enum.IsDefined(type))
            throw new ArgumentOutOfRangeException(nameof(type), type, "Not an element type the exporter writes.");
        // Always set, even with no dims: a present, empty shape is a scalar; an absent one would mean "any rank".
        var shape = new TensorShapeProto();
        foreach (long d in dims)
            shape.Dim.Add(Dimension(d));
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }
}
