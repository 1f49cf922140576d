using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace Mta.MLNet.Scoring;

/// <summary>
/// Custom mappings that turn a one-slot vector column into a scalar column, used by the saved model.
/// </summary>
/// <remarks>
/// Why: ML.NET's OnnxTransformer (5.0.1) cannot produce scalar columns (its getter for rank-0 outputs fails),
/// so the saved chain reads [1]-shaped outputs and converts them here. A saved custom mapping records its
/// assembly, and ML.NET loads and registers it when the model is loaded: no registration call is needed, only
/// this package present. Column names are fixed (the mapping's state is only its contract name), so the chain
/// copies each column to <see cref="VectorColumn"/> and the result from <see cref="ScalarColumn"/>.
/// </remarks>
public static class VectorOfOneToScalar
{
    /// <summary>The fixed input column name.</summary>
    public const string VectorColumn = "Mta.VectorOfOne";

    /// <summary>The fixed output column name.</summary>
    public const string ScalarColumn = "Mta.Scalar";

    /// <summary>Input row of the Single mapping.</summary>
    public sealed class SingleVector
    {
        /// <summary>The one-slot vector.</summary>
        [ColumnName(VectorColumn), VectorType(1)]
        public float[] Value { get; set; } = [];
    }

    /// <summary>Output row of the Single mapping.</summary>
    public sealed class SingleScalar
    {
        /// <summary>The scalar.</summary>
        [ColumnName(ScalarColumn)]
        public float Value { get; set; }
    }

    /// <summary>Input row of the Boolean mapping.</summary>
    public sealed class BooleanVector
    {
        /// <summary>The one-slot vector.</summary>
        [ColumnName(VectorColumn), VectorType(1)]
        public bool[] Value { get; set; } = [];
    }

    /// <summary>Output row of the Boolean mapping.</summary>
    public sealed class BooleanScalar
    {
        /// <summary>The scalar.</summary>
        [ColumnName(ScalarColumn)]
        public bool Value { get; set; }
    }

    /// <summary>Input row of the text mapping.</summary>
    public sealed class TextVector
    {
        /// <summary>The one-slot vector.</summary>
        [ColumnName(VectorColumn), VectorType(1)]
        public string[] Value { get; set; } = [];
    }

    /// <summary>Output row of the text mapping.</summary>
    public sealed class TextScalar
    {
        /// <summary>The scalar.</summary>
        [ColumnName(ScalarColumn)]
        public string Value { get; set; } = "";
    }

    /// <summary>Single[1] → Single.</summary>
    [CustomMappingFactoryAttribute(SingleContract)]
    public sealed class SingleFactory : CustomMappingFactory<SingleVector, SingleScalar>
    {
        /// <inheritdoc />
        public override Action<SingleVector, SingleScalar> GetMapping() => (src, dst) => dst.Value = src.Value[0];
    }

    /// <summary>Boolean[1] → Boolean.</summary>
    [CustomMappingFactoryAttribute(BooleanContract)]
    public sealed class BooleanFactory : CustomMappingFactory<BooleanVector, BooleanScalar>
    {
        /// <inheritdoc />
        public override Action<BooleanVector, BooleanScalar> GetMapping() => (src, dst) => dst.Value = src.Value[0];
    }

    /// <summary>Text[1] → Text.</summary>
    [CustomMappingFactoryAttribute(TextContract)]
    public sealed class TextFactory : CustomMappingFactory<TextVector, TextScalar>
    {
        /// <inheritdoc />
        public override Action<TextVector, TextScalar> GetMapping() => (src, dst) => dst.Value = src.Value[0];
    }

    internal const string SingleContract = "Mta.MLNet.VectorOfOneToSingle";
    internal const string BooleanContract = "Mta.MLNet.VectorOfOneToBoolean";
    internal const string TextContract = "Mta.MLNet.VectorOfOneToText";
}
