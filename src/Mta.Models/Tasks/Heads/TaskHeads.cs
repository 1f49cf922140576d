namespace Mta.Models.Tasks.Heads;

/// <summary>The registration: the head of each <see cref="TaskKind"/>.</summary>
internal static class TaskHeads
{
    private static readonly TaskHead[] s_heads = [new BinaryHead(), new MulticlassHead(), new RegressionHead()];

    /// <summary>The head of <paramref name="kind"/>.</summary>
    public static TaskHead For(TaskKind kind) =>
        s_heads.FirstOrDefault(h => h.Kind == kind) ?? throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown task kind.");

    /// <summary>The head of the task's kind.</summary>
    public static TaskHead For(TaskSpec task) => For(task.Kind);
}
