using Microsoft.ML;
using Microsoft.ML.Data;

namespace Mta.MLNet.Tests;

/// <summary>Bad input gives an error that names the column and says what was expected.</summary>
[TestClass]
public sealed class SchemaErrorTests
{
    private readonly MLContext _ml = new(seed: 1);

    private sealed class TextLabelRow
    {
        [VectorType(2)] public float[] Features { get; set; } = [0, 1];
        public string Grade { get; set; } = "A";
        public float Score { get; set; }
    }

    private sealed class ScalarFeatureRow
    {
        public float Features { get; set; }
        public bool Flag { get; set; }
    }

    private IDataView TextLabels() => _ml.Data.LoadFromEnumerable([new TextLabelRow(), new TextLabelRow { Grade = "B" }]);

    [TestMethod]
    public void MissingFeatureColumnIsNamed()
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            _ml.MultiTask().Attention(["Score"], featureColumnName: "Nope").Fit(TextLabels()));
        StringAssert.Contains(e.Message, "'Nope'");
    }

    [TestMethod]
    public void ScalarFeatureColumnIsRejected()
    {
        var data = _ml.Data.LoadFromEnumerable([new ScalarFeatureRow()]);
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => _ml.MultiTask().Attention(["Flag"]).Fit(data));
        StringAssert.Contains(e.Message, "known-size vector of Single");
    }

    [TestMethod]
    public void MissingLabelColumnIsNamed()
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => _ml.MultiTask().Attention(["recur"]).Fit(TextLabels()));
        StringAssert.Contains(e.Message, "'recur'");
    }

    [TestMethod]
    public void TextLabelSuggestsMapValueToKey()
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => _ml.MultiTask().Attention(["Grade"]).Fit(TextLabels()));
        StringAssert.Contains(e.Message, "'Grade'");
        StringAssert.Contains(e.Message, "MapValueToKey");
    }

    [TestMethod]
    public void DuplicateTaskNamesAreRejectedBeforeTraining()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => _ml.MultiTask().Attention(["Score", "Score"]));
        StringAssert.Contains(e.Message, "'Score'");
    }

    [TestMethod]
    public void BadOptionsAreRejectedBeforeTraining()
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => _ml.MultiTask().Attention(new MultiTaskOptions
        {
            Network = TestNetworks.One,
            Tasks = [new TaskColumn("Score")],
            Training = new Mta.Models.Options.TrainingOptions { BatchSize = 0 },
        }));
        Assert.AreEqual("BatchSize", e.ParamName);
    }

    [TestMethod]
    public void GetOutputSchemaPromisesTheConventionalColumns()
    {
        var estimator = _ml.Transforms.Conversion.MapValueToKey("Grade").Append(_ml.MultiTask().Attention(["Grade", "Score"]));
        var shape = PromisedShape(estimator, TextLabels());
        var grade = shape.Single(c => c.Name == "Grade.PredictedLabel");
        Assert.IsTrue(grade.IsKey);
        var score = shape.Single(c => c.Name == "Score.Score");
        Assert.AreEqual(SchemaShape.Column.VectorKind.Scalar, score.Kind);
        Assert.AreEqual(NumberDataViewType.Single, score.ItemType);
        Assert.AreEqual(SchemaShape.Column.VectorKind.Vector, shape.Single(c => c.Name == "Grade.Score").Kind);
        Assert.AreEqual(SchemaShape.Column.VectorKind.Vector, shape.Single(c => c.Name == "Score.Attention").Kind);
    }

    [TestMethod]
    public void ThePromisedColumnsAreTheScoredColumnsForEveryTaskKind()
    {
        var ml = new MLContext(seed: 1);
        var data = Synthetic.Load(ml, 100, seed: 1);
        var pipeline = Synthetic.Pipeline(ml, new MultiTaskOptions { Network = TestNetworks.One, Training = new() { Epochs = 1 } });
        static bool IsTaskColumn(string name) => name.Contains('.', StringComparison.Ordinal);
        static string Describe(string name, SchemaShape.Column.VectorKind kind, DataViewType item, bool key) =>
            $"{name}: {kind} of {(key ? "key" : item.ToString())}";

        var promised = PromisedShape(pipeline, data).Where(c => IsTaskColumn(c.Name))
            .Select(c => Describe(c.Name, c.Kind, c.ItemType, c.IsKey)).Order(StringComparer.Ordinal).ToArray();
        var model = pipeline.Fit(data);
        using var transformer = model.LastTransformer;
        var scored = model.Transform(data).Schema.Where(c => IsTaskColumn(c.Name)).Select(c => c.Type is VectorDataViewType v
            ? Describe(c.Name, v.IsKnownSize ? SchemaShape.Column.VectorKind.Vector : SchemaShape.Column.VectorKind.VariableVector, v.ItemType, v.ItemType is KeyDataViewType)
            : Describe(c.Name, SchemaShape.Column.VectorKind.Scalar, c.Type, c.Type is KeyDataViewType)).Order(StringComparer.Ordinal).ToArray();
        CollectionAssert.AreEqual(scored, promised, $"promised: {string.Join("; ", promised)}");
        Assert.HasCount(9, promised);   // binary 3, multiclass 2, regression 1, and an attention column per task
    }

    [TestMethod]
    public void GetOutputSchemaNamesAMissingLabel()
    {
        var chain = _ml.Transforms.CopyColumns("x", "Score").Append(_ml.MultiTask().Attention(["nope"]));
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => chain.Fit(TextLabels()));
        StringAssert.Contains(e.Message, "'nope'");
    }

    [TestMethod]
    public void ScoringDataWithAnotherFeatureWidthIsRejected()
    {
        var ml = new MLContext(seed: 1);
        var model = Synthetic.Pipeline(ml).Fit(Synthetic.Load(ml, 100, seed: 1));
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => model.LastTransformer.Transform(TextLabels()));
        StringAssert.Contains(e.Message, "'Features'");
        StringAssert.Contains(e.Message, "4");
    }

    /// <summary>
    /// The shape an estimator promises for a data view. SchemaShape has no public factory, but an estimator chain's
    /// Fit computes every step's output shape before fitting anything: a probe at the end captures it and stops.
    /// </summary>
    internal static SchemaShape PromisedShape(IEstimator<ITransformer> estimator, IDataView data)
    {
        var e = Assert.ThrowsExactly<ShapeProbe.Captured>(() => estimator.Append(new ShapeProbe()).Fit(data));
        return e.Shape;
    }

    private sealed class ShapeProbe : IEstimator<ITransformer>
    {
        public ITransformer Fit(IDataView input) => throw new InvalidOperationException("The probe is never fitted.");

        public SchemaShape GetOutputSchema(SchemaShape inputSchema) => throw new Captured(inputSchema);

        public sealed class Captured(SchemaShape shape) : Exception("shape captured")
        {
            public SchemaShape Shape { get; } = shape;
        }
    }
}
