namespace Mta.Models.Onnx;

/// <summary>ONNX tensor element types the exporter uses (values are TensorProto.DataType's).</summary>
internal enum OnnxElementType
{
    Float = 1,
    Int32 = 6,
    Int64 = 7,
    String = 8,
    Bool = 9,
}
