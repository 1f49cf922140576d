using System.Globalization;
using Google.Protobuf;
using Mta.Models.Data;
using Mta.Models.Onnx;
using Mta.Models.Onnx.Proto;
using Mta.Models.Tasks;

namespace Mta.MLNet.Scoring;

/// <summary>
/// An ONNX model written by Mta.Models (or shaped from one here), opened to take another input shape and another
/// output step, without the TorchSharp weights: the network (initializers and nodes) is kept as written; the nodes
/// that only produced the old graph outputs are dropped. The exporter records where each task tensor lives
/// (metadata <see cref="OnnxModelMetadata.TaskValuesKey"/>), and every later output reads from there.
/// </summary>
internal sealed class ExportedGraph
{
    private readonly ModelProto _model;
    private readonly Dictionary<(string, OnnxOutputKind), string> _values;
    private readonly HashSet<string> _valueNames;
    private readonly HashSet<string> _nodeNames;

    private ExportedGraph(ModelProto model, IReadOnlyList<TaskSpec> tasks, int featureCount, int attentionWidth, ItemLayout? items,
        Dictionary<(string, OnnxOutputKind), string> values)
    {
        _model = model;
        Tasks = tasks;
        FeatureCount = featureCount;
        AttentionWidth = attentionWidth;
        Items = items;
        _values = values;
        var graph = model.Graph;
        var oldOutputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        graph.Output.Clear();
        var kept = graph.Node.Where(n => !n.Output.All(oldOutputs.Contains)).ToList();
        graph.Node.Clear();
        graph.Node.AddRange(kept);
        _valueNames = new HashSet<string>(kept.SelectMany(n => n.Output), StringComparer.Ordinal);
        _valueNames.UnionWith(graph.Initializer.Select(t => t.Name));
        _valueNames.Add(graph.Input[0].Name);
        _nodeNames = new HashSet<string>(kept.Select(n => n.Name), StringComparer.Ordinal);
    }

    /// <summary>The model's tasks, in output order.</summary>
    public IReadOnlyList<TaskSpec> Tasks { get; }

    /// <summary>Values per training row.</summary>
    public int FeatureCount { get; }

    /// <summary>Width of a task's attention output (for sets: of the longest training row).</summary>
    public int AttentionWidth { get; }

    /// <summary>How a row is row features and items, when rows are sets of items; else null.</summary>
    public ItemLayout? Items { get; }

    /// <summary>The graph's single input, [rows, values].</summary>
    public ValueInfoProto Input => _model.Graph.Input[0];

    /// <exception cref="FormatException">The bytes are not an ONNX model exported by Mta.Models (with task value metadata).</exception>
    public static ExportedGraph Open(byte[] model)
    {
        ArgumentNullException.ThrowIfNull(model);
        ModelProto proto;
        try
        {
            proto = ModelProto.Parser.ParseFrom(model);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new FormatException("The bytes are not a readable ONNX model.", e);
        }
        var metadata = OnnxModelMetadata.Read(model);
        string Required(string key) => metadata.TryGetValue(key, out var value) ? value
            : throw new FormatException($"The ONNX model has no '{key}' metadata: it was not exported by this version of Mta.Models.");
        var tasks = OnnxModelMetadata.DeserializeTasks(Required(OnnxModelMetadata.TasksKey));
        int featureCount = ReadInt(Required(OnnxModelMetadata.FeatureCountKey));
        int attentionWidth = ReadInt(Required(OnnxModelMetadata.AttentionWidthKey));
        var items = metadata.TryGetValue(OnnxModelMetadata.ItemWidthKey, out var itemWidth)
            ? new ItemLayout(metadata.TryGetValue(OnnxModelMetadata.RowFeatureCountKey, out var rowFeatures) ? ReadInt(rowFeatures) : 0, ReadInt(itemWidth))
            : null;
        var values = OnnxModelMetadata.DeserializeTaskValues(Required(OnnxModelMetadata.TaskValuesKey))
            .ToDictionary(v => (v.Task, v.Kind), v => v.Value);
        var graph = proto.Graph ?? throw new FormatException("The ONNX model has no graph.");
        if (graph.Input.Count != 1 || graph.Input[0].Type?.TensorType?.Shape is not { Dim.Count: 2 })
            throw new FormatException("The ONNX model does not have the single [rows, features] input Mta.Models writes.");
        return new ExportedGraph(proto, tasks, featureCount, attentionWidth, items, values);
    }

    /// <summary>The value that holds <paramref name="kind"/> of task <paramref name="task"/>.</summary>
    public string Value(string task, OnnxOutputKind kind) => _values.TryGetValue((task, kind), out var value) ? value
        : throw new FormatException($"The ONNX model has no {kind} tensor for task '{task}'.");

    /// <summary>The task called <paramref name="name"/>.</summary>
    public TaskSpec Task(string name) => Tasks.First(t => t.Name == name);

    /// <summary>Declares the input as <paramref name="type"/> [<paramref name="rows"/>, <paramref name="width"/>] (negative: symbolic, as <see cref="OnnxGraphBuilder.Dimension"/>).</summary>
    public void SetInput(OnnxElementType type, long rows, long width)
    {
        var shape = Input.Type.TensorType.Shape;
        Input.Type.TensorType.ElemType = (int)type;
        shape.Dim[0] = OnnxGraphBuilder.Dimension(rows);
        shape.Dim[1] = OnnxGraphBuilder.Dimension(width);
    }

    /// <summary>
    /// Puts a node between the input and every node that reads it: the input is then read through the node's
    /// single output (named after <paramref name="outputHint"/>), which is returned.
    /// </summary>
    public string InsertAfterInput(string opType, string outputHint, params OnnxAttr[] attributes)
    {
        string input = Input.Name, output = FreeName(_valueNames, outputHint);
        foreach (var node in _model.Graph.Node)
        {
            for (int i = 0; i < node.Input.Count; i++)
            {
                if (node.Input[i] == input)
                    node.Input[i] = output;
            }
        }
        _model.Graph.Node.Insert(0, NewNode(opType, [input], output, opType, "", attributes));
        return output;
    }

    /// <summary>Appends a node with one output named exactly <paramref name="output"/>; <paramref name="nodeName"/> is made unique unless <paramref name="exactNodeName"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="output"/> is already a value of the graph.</exception>
    public void AddNode(string opType, IReadOnlyList<string> inputs, string output, string nodeName, string domain = "", bool exactNodeName = false,
        params OnnxAttr[] attributes)
    {
        if (!_valueNames.Add(output))
            throw new ArgumentException($"ONNX output name '{output}' is already a value of the graph.", nameof(output));
        if (exactNodeName && _nodeNames.Contains(nodeName))
            throw new ArgumentException($"ONNX node name '{nodeName}' is already used in the graph.", nameof(nodeName));
        _model.Graph.Node.Add(NewNode(opType, inputs, output, nodeName, domain, attributes, exactNodeName));
    }

    /// <summary>A value name no value of the graph has (yet): for the output of a node added next.</summary>
    public string FreeValueName(string hint)
    {
        string name = hint;
        for (int k = 1; _valueNames.Contains(name); k++)
            name = $"{hint}_{k}";
        return name;
    }

    /// <summary>An int64 initializer [values.Length]; returns its name.</summary>
    public string Int64s(string hint, params long[] values)
    {
        var tensor = new TensorProto { Name = FreeName(_valueNames, hint), DataType = (int)OnnxElementType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        _model.Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>A string initializer [values.Length]; returns its name.</summary>
    public string Strings(string hint, params string[] values)
    {
        var tensor = new TensorProto { Name = FreeName(_valueNames, hint), DataType = (int)OnnxElementType.String };
        tensor.Dims.Add(values.Length);
        tensor.StringData.AddRange(values.Select(OnnxAttr.Utf8));
        _model.Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>Declares a graph output (produced by a node added with <see cref="AddNode"/>); dims as in <see cref="OnnxGraphBuilder.Output"/>.</summary>
    public void AddOutput(string name, OnnxElementType type, params long[] dims) =>
        _model.Graph.Output.Add(OnnxGraphBuilder.ValueInfo(name, type, dims));

    /// <summary>Declares operator set <paramref name="version"/> of <paramref name="domain"/>, raising the IR version if it needs a later one.</summary>
    public void ImportOpset(string domain, long version)
    {
        if (!_model.OpsetImport.Any(o => o.Domain == domain))
            _model.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = version });
        _model.IrVersion = Math.Max(_model.IrVersion, OnnxGraphBuilder.IrVersionForOtherOpset(domain, version));
    }

    /// <summary>Sets a metadata entry (replacing one of the same key).</summary>
    public void SetMetadata(string key, string value)
    {
        var existing = _model.MetadataProps.FirstOrDefault(p => p.Key == key);
        if (existing is not null)
            _model.MetadataProps.Remove(existing);
        _model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
    }

    /// <summary>Keeps the nodes (in order) and initializers that some graph output depends on.</summary>
    public void Prune()
    {
        var graph = _model.Graph;
        var needed = new HashSet<string>(graph.Output.Select(o => o.Name), StringComparer.Ordinal);
        var live = new List<NodeProto>();
        for (int i = graph.Node.Count - 1; i >= 0; i--)
        {
            if (!graph.Node[i].Output.Any(needed.Contains))
                continue;
            live.Add(graph.Node[i]);
            needed.UnionWith(graph.Node[i].Input.Where(n => n.Length > 0));
        }
        live.Reverse();
        graph.Node.Clear();
        graph.Node.AddRange(live);
        var initializers = graph.Initializer.Where(t => needed.Contains(t.Name)).ToList();
        graph.Initializer.Clear();
        graph.Initializer.AddRange(initializers);
    }

    /// <summary>The model's bytes, with its graph hash stamped anew.</summary>
    public byte[] ToBytes()
    {
        OnnxModelMetadata.StampGraphHash(_model);
        return _model.ToByteArray();
    }

    private NodeProto NewNode(string opType, IReadOnlyList<string> inputs, string output, string nodeName, string domain, OnnxAttr[] attributes,
        bool exactNodeName = false)
    {
        var node = new NodeProto { OpType = opType, Name = exactNodeName ? nodeName : FreeName(_nodeNames, nodeName) };
        _nodeNames.Add(node.Name);
        if (domain.Length > 0)
            node.Domain = domain;
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        foreach (var attribute in attributes)
            node.Attribute.Add(attribute.ToProto());
        return node;
    }

    private static string FreeName(HashSet<string> taken, string hint)
    {
        string name = hint;
        for (int k = 1; !taken.Add(name); k++)
            name = $"{hint}_{k}";
        return name;
    }

    private static int ReadInt(string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int parsed) && parsed >= 0 ? parsed
            : throw new FormatException($"The ONNX model's metadata has '{value}' where a whole number belongs.");
}
