using Mta.Models.Tasks;

namespace Mta.MLNet;

/// <summary>One task of a multi-task estimator: which label column it learns, and how.</summary>
public sealed class TaskColumn
{
    /// <summary>A task learning <paramref name="labelColumnName"/>.</summary>
    /// <param name="labelColumnName">The label column.</param>
    /// <param name="kind">
    /// Task kind; null infers it from the column type: Boolean → binary, key → multiclass, Single/Double → regression.
    /// </param>
    /// <param name="name">Task name, the prefix of its output columns; default: the label column name.</param>
    /// <param name="weight">Weight of the task's loss (≥ 0). Default 1.</param>
    public TaskColumn(string labelColumnName, TaskKind? kind = null, string? name = null, float weight = 1f)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(labelColumnName);
        LabelColumnName = labelColumnName;
        Kind = kind;
        Name = string.IsNullOrWhiteSpace(name) ? labelColumnName : name;
        Weight = weight;
    }

    /// <summary>The label column.</summary>
    public string LabelColumnName { get; }

    /// <summary>Task kind, or null to infer it from the label column type.</summary>
    public TaskKind? Kind { get; }

    /// <summary>Task name; output columns are <c>{Name}.Score</c>, <c>{Name}.PredictedLabel</c>, ...</summary>
    public string Name { get; }

    /// <summary>Weight of the task's loss.</summary>
    public float Weight { get; }

    /// <summary>Shorthand: a task per label column name, kinds inferred.</summary>
    public static implicit operator TaskColumn(string labelColumnName) => new(labelColumnName);

    /// <summary>Same as the implicit conversion from a column name.</summary>
    public static TaskColumn FromLabelColumnName(string labelColumnName) => new(labelColumnName);
}
