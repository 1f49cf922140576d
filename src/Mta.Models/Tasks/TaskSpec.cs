using Mta.Models.Tasks.Heads;

namespace Mta.Models.Tasks;

/// <summary>One task of a multi-task network.</summary>
/// <remarks>
/// Labels are given to the trainer as one float per row: 0/1 for <see cref="TaskKind.Binary"/>, the class index
/// 0..K-1 for <see cref="TaskKind.Multiclass"/>, the value for <see cref="TaskKind.Regression"/>; NaN marks a
/// missing label, which contributes nothing to the loss.
/// </remarks>
public sealed record TaskSpec
{
    /// <summary>Creates a task spec.</summary>
    /// <param name="name">Unique task name; used in output names.</param>
    /// <param name="kind">What the task predicts.</param>
    /// <param name="classCount">Number of classes: 2 for binary, K ≥ 2 for multiclass, 1 for regression (0 = infer).</param>
    /// <param name="lossWeight">The task's weight in the total loss (fixed weighting); must be ≥ 0.</param>
    /// <param name="classLabels">Optional class names (multiclass: K of them, in index order).</param>
    public TaskSpec(string name, TaskKind kind, int classCount = 0, float lossWeight = 1f, IReadOnlyList<string>? classLabels = null)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException("A task needs a non-empty name.", nameof(name));
        if (!Enum.IsDefined(kind))
            throw new ArgumentOutOfRangeException(nameof(kind), kind, $"Task '{name}': unknown task kind.");
        var head = TaskHeads.For(kind);
        int expected = head.ClassCount(classCount, classLabels);
        if (classCount != 0 && classCount != expected)
            throw new ArgumentException($"Task '{name}': class count {classCount} does not fit a {kind} task (expected {expected}).", nameof(classCount));
        head.CheckClasses(name, expected, classLabels);
        if (!(lossWeight >= 0) || float.IsInfinity(lossWeight))
            throw new ArgumentOutOfRangeException(nameof(lossWeight), lossWeight, $"Task '{name}': the loss weight must be a finite number ≥ 0.");
        Name = name;
        Kind = kind;
        ClassCount = expected;
        LossWeight = lossWeight;
        ClassLabels = classLabels?.ToArray();
    }

    /// <summary>Unique task name.</summary>
    public string Name { get; }

    /// <summary>What the task predicts.</summary>
    public TaskKind Kind { get; }

    /// <summary>2 for binary, K for multiclass, 1 for regression.</summary>
    public int ClassCount { get; }

    /// <summary>Weight of this task's loss in the total loss.</summary>
    public float LossWeight { get; }

    /// <summary>Class names in index order, when known.</summary>
    public IReadOnlyList<string>? ClassLabels { get; }

    /// <summary>Width of the task's head: 1 logit (binary), K logits (multiclass), 1 value (regression).</summary>
    public int HeadWidth => TaskHeads.For(this).Width(this);

    /// <summary>Checks a set of tasks: at least one, unique names.</summary>
    public static void ValidateSet(IReadOnlyList<TaskSpec> tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        if (tasks.Count == 0)
            throw new ArgumentException("At least one task is needed.", nameof(tasks));
        var duplicate = tasks.GroupBy(t => t.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"Task name '{duplicate.Key}' is used more than once; task names must be unique.", nameof(tasks));
    }
}
