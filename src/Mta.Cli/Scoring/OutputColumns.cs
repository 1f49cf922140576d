using Microsoft.ML;
using Microsoft.ML.Data;
using Mta.Models.Tasks;

namespace Mta.Cli.Scoring;

/// <summary>The value types of an output file's columns.</summary>
internal enum CellType
{
    Single,
    Double,
    Boolean,
    Text,
}

/// <summary>One column of the output file, filled batch by batch from the scored cursor.</summary>
internal abstract class OutputColumn(string name, CellType type)
{
    public string Name { get; } = name;

    public CellType Type { get; } = type;

    /// <summary>Reads the cursor's current row into slot <paramref name="slot"/> of the batch.</summary>
    public abstract void Read(int slot);

    public abstract Array Values { get; }
}

internal sealed class OutputColumn<T>(string name, CellType type, int capacity, Func<T> read) : OutputColumn(name, type)
{
    private readonly T[] _values = new T[capacity];

    public override Array Values => _values;

    public T[] TypedValues => _values;

    public override void Read(int slot) => _values[slot] = read();
}

/// <summary>
/// Which columns <c>mta score</c> writes: the kept input columns, then per task the transformer's columns with the
/// same names — binary <c>{task}.Score</c>, <c>{task}.Probability</c>, <c>{task}.PredictedLabel</c>; multiclass
/// <c>{task}.PredictedLabel</c> (the class name) and one <c>{task}.Score.{class}</c> per class; regression
/// <c>{task}.Score</c>; with --attention, <c>{task}.Attention.{i}</c> per source.
/// </summary>
internal static class OutputColumns
{
    public static IReadOnlyList<OutputColumn> Create(DataViewRowCursor cursor, IReadOnlyList<string> keep, IReadOnlyList<TaskSpec> tasks,
        bool attention, int capacity)
    {
        var columns = new List<OutputColumn>();
        foreach (var name in keep)
            columns.Add(Input(cursor, name, capacity));
        foreach (var task in tasks)
        {
            string t = task.Name;
            switch (task.Kind)
            {
                case TaskKind.Binary:
                    columns.Add(Scalar<float>(cursor, $"{t}.Score", CellType.Single, capacity));
                    columns.Add(Scalar<float>(cursor, $"{t}.Probability", CellType.Single, capacity));
                    columns.Add(Scalar<bool>(cursor, $"{t}.PredictedLabel", CellType.Boolean, capacity));
                    break;
                case TaskKind.Multiclass:
                    var classes = task.ClassLabels ?? Enumerable.Range(0, task.ClassCount).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
                    var key = cursor.GetGetter<uint>(cursor.Schema[$"{t}.PredictedLabel"]);
                    columns.Add(new OutputColumn<string?>($"{t}.PredictedLabel", CellType.Text, capacity, () =>
                    {
                        uint value = 0;
                        key(ref value);
                        return value == 0 ? null : classes[(int)value - 1];
                    }));
                    columns.AddRange(Vector(cursor, $"{t}.Score", classes, capacity));
                    break;
                default:
                    columns.Add(Scalar<float>(cursor, $"{t}.Score", CellType.Single, capacity));
                    break;
            }
            if (attention)
            {
                var column = cursor.Schema[$"{t}.Attention"];
                int width = ((VectorDataViewType)column.Type).Size;
                columns.AddRange(Vector(cursor, column.Name, Enumerable.Range(0, width).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(), capacity));
            }
        }
        return columns;
    }

    /// <summary>The scored columns the output needs (for the cursor).</summary>
    public static IEnumerable<DataViewSchema.Column> Needed(DataViewSchema schema, IReadOnlyList<string> keep, IReadOnlyList<TaskSpec> tasks, bool attention)
    {
        foreach (var name in keep)
            yield return schema[KeepAlias(name)];
        foreach (var task in tasks)
        {
            foreach (var column in schema.Where(c => !c.IsHidden && c.Name.StartsWith(task.Name + ".", StringComparison.Ordinal)))
            {
                if (attention || column.Name != $"{task.Name}.Attention")
                    yield return column;
            }
        }
    }

    /// <summary>The view column a kept input column is read into, as text: written back exactly as it was read.</summary>
    public static string KeepAlias(string name) => "mta.keep." + name;

    private static OutputColumn<string?> Input(DataViewRowCursor cursor, string name, int capacity)
    {
        var text = cursor.GetGetter<ReadOnlyMemory<char>>(cursor.Schema[KeepAlias(name)]);
        return new OutputColumn<string?>(name, CellType.Text, capacity, () =>
        {
            ReadOnlyMemory<char> value = default;
            text(ref value);
            return value.ToString();
        });
    }

    private static OutputColumn<T> Scalar<T>(DataViewRowCursor cursor, string name, CellType type, int capacity)
    {
        var getter = cursor.GetGetter<T>(cursor.Schema[name]);
        return new OutputColumn<T>(name, type, capacity, () =>
        {
            T value = default!;
            getter(ref value);
            return value;
        });
    }

    /// <summary>A vector column as one float column per slot; the vector is read once per row.</summary>
    private static IEnumerable<OutputColumn> Vector(DataViewRowCursor cursor, string name, IReadOnlyList<string> slotNames, int capacity)
    {
        var getter = cursor.GetGetter<VBuffer<float>>(cursor.Schema[name]);
        var buffer = default(VBuffer<float>);
        long position = -1;
        float Slot(int i)
        {
            if (position != cursor.Position)
            {
                getter(ref buffer);
                position = cursor.Position;
            }
            return buffer.GetItemOrDefault(i);
        }
        for (int i = 0; i < slotNames.Count; i++)
        {
            int slot = i;
            yield return new OutputColumn<float>($"{name}.{slotNames[i]}", CellType.Single, capacity, () => Slot(slot));
        }
    }
}
