using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Mta.MLNet.Tests;

/// <summary>
/// Model files written by an earlier version (tests/Mta.MLNet.Tests/SavedModels, with the rows they were scored on
/// and what that version predicted) still load, through <c>mlContext.MultiTask().Load</c> and plain
/// <c>mlContext.Model.Load</c>, and predict the same values: a change to the export or the loader must not break
/// the files users have saved.
/// </summary>
[TestClass]
public sealed class SavedModelCompatibilityTests
{
    internal const string Folder = "SavedModels";

    /// <summary>Values per item of the set fixtures' rows.</summary>
    internal const int ItemWidth = 6;

    /// <summary>Item slots of the fixed-size set fixture's rows.</summary>
    internal const int PaddedItems = 4;

    internal static readonly JsonSerializerOptions Json = new()
    {
        // Padding items are all NaN.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = false,
    };

    /// <summary>A set model's row of a fixed number of item slots (absent items all NaN).</summary>
    public sealed class PaddedUser
    {
        [VectorType(PaddedItems * ItemWidth)] public float[] Items { get; set; } = [];
        public bool Click { get; set; }
        public float Rating { get; set; }
    }

    /// <summary>A set model's row of item names, made item ids (keys) by MapValueToKey.</summary>
    public sealed class Basket
    {
        public string[] Names { get; set; } = [];
        public bool Likes { get; set; }
        public float Count { get; set; }
    }

    /// <summary>
    /// The rows a fixture was scored on and, per output column, what the earlier version predicted for each row
    /// (a scalar as one value, Boolean as 0/1, a key as its index): through its batched loader and through ML.NET's.
    /// </summary>
    internal sealed record Fixture<TRow>(TRow[] Rows, Dictionary<string, float[][]> Batched, Dictionary<string, float[][]> MlNet);

    [TestMethod]
    [DataRow("table-v1")]
    public void ATableModelOfTheEarlierVersionPredictsAsItDid(string name) => Check<Synthetic.Row>(name);

    [TestMethod]
    [DataRow("padded-set-v1")]
    public void AFixedSizeSetModelOfTheEarlierVersionPredictsAsItDid(string name) => Check<PaddedUser>(name);

    [TestMethod]
    [DataRow("key-set-v1")]
    public void AKeyedSetModelOfTheEarlierVersionPredictsAsItDid(string name) => Check<Basket>(name);

    private static void Check<TRow>(string name) where TRow : class
    {
        string folder = Path.Combine(AppContext.BaseDirectory, Folder);
        var fixture = JsonSerializer.Deserialize<Fixture<TRow>>(File.ReadAllText(Path.Combine(folder, name + ".json")), Json)!;
        string file = Path.Combine(folder, name + ".zip");
        var ml = new MLContext();
        var rows = ml.Data.LoadFromEnumerable(fixture.Rows);

        var batched = ml.MultiTask().Load(file, out _);
        try
        {
            AssertSame(fixture.Batched, Outputs(batched.Transform(rows)), $"{name}, MultiTask().Load");
        }
        finally
        {
            (batched as IDisposable)?.Dispose();
        }
        var plain = ml.Model.Load(file, out _);
        AssertSame(fixture.MlNet, Outputs(plain.Transform(rows)), $"{name}, Model.Load");
    }

    /// <summary>Every output column (the model's columns are named "{task}.{what}"; input columns have no dot) as floats per row.</summary>
    internal static Dictionary<string, float[][]> Outputs(IDataView scored) =>
        scored.Schema.Where(c => !c.IsHidden && c.Name.Contains('.', StringComparison.Ordinal))
            .ToDictionary(c => c.Name, c => Values(scored, c));

    private static float[][] Values(IDataView data, DataViewSchema.Column column) => column.Type switch
    {
        NumberDataViewType t when t == NumberDataViewType.Single => data.GetColumn<float>(column).Select(v => new[] { v }).ToArray(),
        BooleanDataViewType => data.GetColumn<bool>(column).Select(v => new[] { v ? 1f : 0f }).ToArray(),
        KeyDataViewType => data.GetColumn<uint>(column).Select(v => new[] { (float)v }).ToArray(),
        VectorDataViewType => data.GetColumn<float[]>(column).ToArray(),
        _ => throw new InvalidOperationException($"Column '{column.Name}' has type {column.Type}, which the fixtures do not record."),
    };

    private static void AssertSame(Dictionary<string, float[][]> expected, Dictionary<string, float[][]> actual, string what)
    {
        CollectionAssert.AreEquivalent(expected.Keys.ToArray(), actual.Keys.ToArray(), $"{what}: output columns");
        foreach (var (column, rows) in expected)
        {
            Assert.HasCount(rows.Length, actual[column], $"{what}: {column}");
            for (int i = 0; i < rows.Length; i++)
            {
                Assert.HasCount(rows[i].Length, actual[column][i], $"{what}: {column}, row {i}");
                for (int j = 0; j < rows[i].Length; j++)
                {
                    // Not bit-exact: ONNX Runtime may choose other kernels on another CPU.
                    float e = rows[i][j], a = actual[column][i][j];
                    Assert.IsTrue(Math.Abs(e - a) <= 1e-5 * Math.Max(1, Math.Abs(e)) || (float.IsNaN(e) && float.IsNaN(a)),
                        $"{what}: {column}, row {i}, value {j}: expected {e}, got {a}");
                }
            }
        }
    }
}
