using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Mta.Models.Data;
using Mta.Models.Tasks;

namespace Mta.MLNet.Data;

/// <summary>Checks the feature and label columns of a schema and works out each task's kind and classes.</summary>
internal static class TaskResolver
{
    // ML.NET's name for a key column's values annotation (its AnnotationUtils.Kinds constant is internal).
    private const string KeyValuesAnnotation = "KeyValues";
    private const string SchemaParameter = "inputSchema";

    /// <summary>The feature column's length, after checking it is a known-size vector of Single.</summary>
    public static int CheckFeatures(DataViewSchema schema, string featureColumnName) => CheckFeatures(schema, featureColumnName, items: null);

    /// <summary>
    /// The feature column's length (0 for a variable-length vector), after checking it is a vector of Single: of
    /// known size for fixed-width rows; for sets of <paramref name="items"/>, variable-length or of a known size that is
    /// the row features and whole items (with one value per item and no row features, also a vector of keys: item ids).
    /// </summary>
    public static int CheckFeatures(DataViewSchema schema, string featureColumnName, ItemLayout? items)
    {
        var column = schema.GetColumnOrNull(featureColumnName)
            ?? throw SchemaError($"Feature column '{featureColumnName}' was not found in the input data.", schema);
        // Item ids as ML.NET keys (MapValueToKey of a list of names): a set model whose items are one id each.
        if (items is { ItemWidth: 1, RowFeatures: 0 } && FeatureReader.IsKeyVector(column.Type))
            return ((VectorDataViewType)column.Type).Size;
        if (column.Type is not VectorDataViewType { ItemType: NumberDataViewType n } vector || n != NumberDataViewType.Single
            || (!vector.IsKnownSize && items is null))
        {
            throw new ArgumentOutOfRangeException(nameof(schema),
                $"Feature column '{featureColumnName}' must be a {(items is null ? "known-size " : "")}vector of Single, but it is {column.Type}. " +
                (items is null ? "Use Concatenate / ConvertType to build it (variable-length vectors need Architecture.SetAttention)."
                    : "Use ConvertType to make it Single (a vector of keys, as item ids, needs Set.ItemWidth = 1 and no row features)."));
        }
        if (items is not null && vector.IsKnownSize && !items.Fits(vector.Size))
            throw new ArgumentOutOfRangeException(nameof(schema),
                $"Feature column '{featureColumnName}' has {vector.Size} values per row, not {items.Expected}.");
        return vector.Size;
    }

    /// <summary>At least one task, and unique task names (they prefix the output columns).</summary>
    public static void CheckTaskList(IReadOnlyList<TaskColumn>? tasks, string paramName)
    {
        if (tasks is null || tasks.Count == 0)
            throw new ArgumentException("At least one task (label column) is needed.", paramName);
        var duplicate = tasks.GroupBy(t => t.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"Task name '{duplicate.Key}' is used by more than one task; task names must be unique.", paramName);
    }

    public static IReadOnlyList<ResolvedTask> Resolve(DataViewSchema schema, IReadOnlyList<TaskColumn> tasks)
    {
        CheckTaskList(tasks, nameof(tasks));
        return tasks.Select(t => Resolve(schema, t)).ToArray();
    }

    private static ResolvedTask Resolve(DataViewSchema schema, TaskColumn task)
    {
        var column = schema.GetColumnOrNull(task.LabelColumnName)
            ?? throw SchemaError($"Label column '{task.LabelColumnName}' (task '{task.Name}') was not found in the input data.", schema);
        var type = column.Type;
        var kind = task.Kind ?? InferKind(type, isKey: type is KeyDataViewType)
            ?? throw Unsupported(task, type, "Supported: Boolean (binary), key (multiclass; use MapValueToKey on a text label), Single or Double (regression).");
        switch (kind)
        {
            case TaskKind.Binary when type is BooleanDataViewType || IsReal(type):
                return new ResolvedTask(task, new TaskSpec(task.Name, kind, lossWeight: task.Weight), type);
            case TaskKind.Multiclass when type is KeyDataViewType key:
                if (key.Count < 2 || key.Count > int.MaxValue)
                    throw Unsupported(task, type, "A multiclass label needs a key type with 2 or more values.");
                var labels = ClassLabels(column, (int)key.Count);
                return new ResolvedTask(task, new TaskSpec(task.Name, kind, (int)key.Count, task.Weight, labels), type);
            case TaskKind.Regression when IsReal(type):
                return new ResolvedTask(task, new TaskSpec(task.Name, kind, lossWeight: task.Weight), type);
            default:
                throw Unsupported(task, type, kind switch
                {
                    TaskKind.Binary => "A binary label must be Boolean, or Single/Double holding 0, 1 or NaN (missing).",
                    TaskKind.Multiclass => "A multiclass label must be a key type: apply MapValueToKey to it first.",
                    _ => "A regression label must be Single or Double.",
                });
        }
    }

    /// <summary>
    /// The kind a label column gives when its task does not say: key → multiclass, Boolean → binary, Single or
    /// Double → regression; null for any other type (a vector too). <paramref name="isKey"/>: the column is a key
    /// (ML.NET's <c>SchemaShape</c> describes a key by its raw type and a flag).
    /// </summary>
    public static TaskKind? InferKind(DataViewType type, bool isKey) =>
        isKey ? TaskKind.Multiclass
        : type is BooleanDataViewType ? TaskKind.Binary
        : IsReal(type) ? TaskKind.Regression
        : null;

    private static bool IsReal(DataViewType type) => type == NumberDataViewType.Single || type == NumberDataViewType.Double;

    /// <summary>The key values as text (what MapKeyToValue would give), or "0".."K-1" when the key has none.</summary>
    private static string[] ClassLabels(DataViewSchema.Column column, int count)
    {
        var keyValues = column.Annotations.Schema.GetColumnOrNull(KeyValuesAnnotation);
        if (keyValues is { Type: VectorDataViewType { ItemType: TextDataViewType } })
        {
            VBuffer<ReadOnlyMemory<char>> values = default;
            column.GetKeyValues(ref values);
            var dense = values.DenseValues().Select(v => v.ToString()).ToArray();
            if (dense.Length == count && dense.Distinct(StringComparer.Ordinal).Count() == count)
                return dense;
        }
        return Enumerable.Range(0, count).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
    }

    private static ArgumentOutOfRangeException Unsupported(TaskColumn task, DataViewType type, string hint, string paramName = SchemaParameter) =>
        new(paramName, $"Label column '{task.LabelColumnName}' (task '{task.Name}') has type {type}, which is not supported" +
            (task.Kind is { } k ? $" for a {k} task" : "") + $". {hint}");

    private static ArgumentOutOfRangeException SchemaError(string message, DataViewSchema schema, string paramName = SchemaParameter) =>
        new(paramName, $"{message} Available columns: {string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => c.Name))}.");
}
