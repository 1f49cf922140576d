namespace Mta.Models.Onnx;

/// <summary>The ONNX tensor element types the exporter uses; each value is its <c>TensorProto.DataType</c> number.</summary>
internal enum OnnxElementType
{
    /// <summary>32-bit IEEE float.</summary>
    Float = 1,

    /// <summary>32-bit unsigned integer.</summary>
    UInt32 = 12,

    /// <summary>32-bit signed integer.</summary>
    Int32 = 6,

    /// <summary>64-bit signed integer.</summary>
    Int64 = 7,

    /// <summary>UTF-8 string.</summary>
    String = 8,

    /// <summary>Boolean.</summary>
    Bool = 9,
}
