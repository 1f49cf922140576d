using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;

namespace Mta.MLNet.Scoring;

/// <summary>
/// One output column's values for the current batch, copied out of ONNX Runtime, served row by row through an
/// ML.NET getter of the column's type.
/// </summary>
internal abstract class OutputBuffer
{
    public abstract void Fill(OrtValue value, int rows);

    public abstract Delegate MakeGetter(Func<int> rowInBatch);

    /// <summary>
    /// The buffer matching a column type: Single, Boolean, key (from an int64 class index), or vector of Single; a
    /// variable-length vector (a set model's attention) gets <paramref name="rowLength"/>(row in batch) values of each
    /// padded batch row.
    /// </summary>
    public static OutputBuffer For(DataViewType type, Func<int, int> rowLength) => type switch
    {
        VectorDataViewType { IsKnownSize: false } => new VariableVectorBuffer(rowLength),
        VectorDataViewType vector => new VectorBuffer(vector.Size),
        BooleanDataViewType => new FlagBuffer(),
        KeyDataViewType => new KeyBuffer(),
        _ => new ScalarBuffer(),
    };

    private sealed class ScalarBuffer : OutputBuffer
    {
        private float[] _values = [];

        public override void Fill(OrtValue value, int rows) => Copy(value.GetTensorDataAsSpan<float>(), ref _values);

        public override Delegate MakeGetter(Func<int> rowInBatch) => (ValueGetter<float>)((ref float v) => v = _values[rowInBatch()]);
    }

    private sealed class FlagBuffer : OutputBuffer
    {
        private bool[] _values = [];

        public override void Fill(OrtValue value, int rows) => Copy(value.GetTensorDataAsSpan<bool>(), ref _values);

        public override Delegate MakeGetter(Func<int> rowInBatch) => (ValueGetter<bool>)((ref bool v) => v = _values[rowInBatch()]);
    }

    /// <summary>Class index 0..K-1 → ML.NET key 1..K (0 is the missing key).</summary>
    private sealed class KeyBuffer : OutputBuffer
    {
        private long[] _values = [];

        public override void Fill(OrtValue value, int rows) => Copy(value.GetTensorDataAsSpan<long>(), ref _values);

        public override Delegate MakeGetter(Func<int> rowInBatch) => (ValueGetter<uint>)((ref uint v) => v = (uint)(_values[rowInBatch()] + 1));
    }

    private sealed class VectorBuffer(int width) : OutputBuffer
    {
        private float[] _values = [];

        public override void Fill(OrtValue value, int rows) => Copy(value.GetTensorDataAsSpan<float>(), ref _values);

        public override Delegate MakeGetter(Func<int> rowInBatch) => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> v) =>
        {
            var editor = VBufferEditor.Create(ref v, width);
            _values.AsSpan(rowInBatch() * width, width).CopyTo(editor.Values);
            v = editor.Commit();
        });
    }

    /// <summary>Rows of the batch's width (its longest row's items); each row served up to its own length.</summary>
    private sealed class VariableVectorBuffer(Func<int, int> rowLength) : OutputBuffer
    {
        private float[] _values = [];
        private int _width;

        public override void Fill(OrtValue value, int rows)
        {
            var data = value.GetTensorDataAsSpan<float>();
            _width = rows == 0 ? 0 : data.Length / rows;
            Copy(data, ref _values);
        }

        public override Delegate MakeGetter(Func<int> rowInBatch) => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> v) =>
        {
            int row = rowInBatch(), length = rowLength(row);
            var editor = VBufferEditor.Create(ref v, length);
            _values.AsSpan(row * _width, length).CopyTo(editor.Values);
            v = editor.Commit();
        });
    }

    private static void Copy<T>(ReadOnlySpan<T> source, ref T[] destination)
    {
        if (destination.Length < source.Length)
            destination = new T[source.Length];
        source.CopyTo(destination);
    }
}
