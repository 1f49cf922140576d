using System.Text;
using Google.Protobuf;
using Mta.Models.Onnx.Proto;

namespace Mta.Models.Onnx;

/// <summary>A node attribute, built by the typed factories.</summary>
internal readonly struct OnnxAttr
{
    private OnnxAttr(AttributeProto proto) => Proto = proto;

    public AttributeProto Proto { get; }

    public static OnnxAttr Int(string name, long value) =>
        new(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value });

    public static OnnxAttr Ints(string name, params long[] values)
    {
        var proto = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        proto.Ints.AddRange(values);
        return new(proto);
    }

    public static OnnxAttr Float(string name, float value) =>
        new(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value });

    public static OnnxAttr Floats(string name, params float[] values)
    {
        var proto = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Floats };
        proto.Floats.AddRange(values);
        return new(proto);
    }

    public static OnnxAttr String(string name, string value) =>
        new(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) });

    public static OnnxAttr Strings(string name, params string[] values)
    {
        var proto = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Strings };
        proto.Strings.AddRange(values.Select(v => ByteString.CopyFrom(Encoding.UTF8.GetBytes(v))));
        return new(proto);
    }
}
