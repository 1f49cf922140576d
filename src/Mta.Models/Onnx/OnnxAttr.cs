using System.Text;
using Google.Protobuf;
using Mta.Models.Onnx.Proto;

namespace Mta.Models.Onnx;

/// <summary>
/// A node attribute (a named constant parameter of an operator), made by one of the typed factories; the
/// <c>type</c> discriminator of the ONNX AttributeProto is always set to match the value field.
/// </summary>
internal readonly struct OnnxAttr
{
    private readonly AttributeProto? _proto;

    private OnnxAttr(AttributeProto proto) => _proto = proto;

    /// <summary>The attribute's name (null for <c>default(OnnxAttr)</c>).</summary>
    public string? Name => _proto?.Name;

    /// <summary>A single integer.</summary>
    public static OnnxAttr Int(string name, long value) =>
        Make(name, AttributeProto.Types.AttributeType.Int, a => a.I = value);

    /// <summary>A list of integers.</summary>
    public static OnnxAttr Ints(string name, params long[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Make(name, AttributeProto.Types.AttributeType.Ints, a => a.Ints.AddRange(values));
    }

    /// <summary>A single float.</summary>
    public static OnnxAttr Float(string name, float value) =>
        Make(name, AttributeProto.Types.AttributeType.Float, a => a.F = value);

    /// <summary>A list of floats.</summary>
    public static OnnxAttr Floats(string name, params float[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Make(name, AttributeProto.Types.AttributeType.Floats, a => a.Floats.AddRange(values));
    }

    /// <summary>A single string (stored as UTF-8 bytes).</summary>
    public static OnnxAttr String(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Make(name, AttributeProto.Types.AttributeType.String, a => a.S = Utf8(value));
    }

    /// <summary>A list of strings (each stored as UTF-8 bytes).</summary>
    public static OnnxAttr Strings(string name, params string[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Make(name, AttributeProto.Types.AttributeType.Strings, a =>
        {
            foreach (var value in values)
                a.Strings.Add(Utf8(value ?? throw new ArgumentException($"Attribute '{name}' has a null string.", nameof(values))));
        });
    }

    /// <summary>A copy of the attribute message, for one node (messages are never shared between nodes).</summary>
    internal AttributeProto ToProto() =>
        _proto?.Clone() ?? throw new ArgumentException("An OnnxAttr must be made by one of its factories, not default(OnnxAttr).");

    internal static ByteString Utf8(string value) => ByteString.CopyFrom(Encoding.UTF8.GetBytes(value));

    private static OnnxAttr Make(string name, AttributeProto.Types.AttributeType type, Action<AttributeProto> setValue)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var proto = new AttributeProto { Name = name, Type = type };
        setValue(proto);
        return new OnnxAttr(proto);
    }
}
