using Microsoft.ML.Data;
using Mta.Models.Tasks;

namespace Mta.MLNet.Data;

/// <summary>A <see cref="TaskColumn"/> checked against a schema: its kind, label type and classes are now known.</summary>
/// <param name="Column">What the user asked for.</param>
/// <param name="Spec">The network's task spec (class labels for multiclass, in key order).</param>
/// <param name="LabelType">The label column's type.</param>
internal sealed record ResolvedTask(TaskColumn Column, TaskSpec Spec, DataViewType LabelType)
{
    public string Name => Spec.Name;

    public TaskKind Kind => Spec.Kind;
}
