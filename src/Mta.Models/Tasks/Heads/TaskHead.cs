using Mta.Models.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace Mta.Models.Tasks.Heads;

/// <summary>
/// Everything that depends on what a task predicts (<see cref="TaskKind"/>): the class count and head width, the
/// label check, the training statistics of the labels, the per-row loss and its target, and the readout of the head
/// output into predictions, in TorchSharp and in ONNX side by side. One instance per kind (<see cref="TaskHeads"/>);
/// the methods take the task, so a head holds no state. A new task kind is a new subclass and its registration.
/// </summary>
internal abstract class TaskHead
{
    /// <summary>The kind this head implements.</summary>
    public abstract TaskKind Kind { get; }

    /// <summary>
    /// The class count a task of this kind has, from what its spec was given (0 = infer); <see cref="TaskSpec"/>
    /// rejects a given count that differs from it.
    /// </summary>
    public abstract int ClassCount(int classCount, IReadOnlyList<string>? classLabels);

    /// <summary>Checks the resolved class count and labels beyond the common check; throws naming the task.</summary>
    public virtual void CheckClasses(string name, int classCount, IReadOnlyList<string>? classLabels) { }

    /// <summary>Width of the head's linear output.</summary>
    public virtual int Width(TaskSpec task) => 1;

    /// <summary>Whether a present (non-NaN) label value is valid for the task.</summary>
    public abstract bool IsValidLabel(TaskSpec task, float y);

    /// <summary>The task as the invalid-label message names it ("a Binary task").</summary>
    public virtual string Describe(TaskSpec task) => $"a {task.Kind} task";

    /// <summary>
    /// What is wrong with the training labels as a whole (after every value passed <see cref="IsValidLabel"/>), as a
    /// message naming the task; null when nothing is.
    /// </summary>
    public virtual string? TrainingLabelsProblem(TaskSpec task, float[] labels) => null;

    /// <summary>The (mean, scale) the loss target is standardized with, fitted on the training labels ((0, 1): none).</summary>
    public virtual (float Mean, float Scale) TargetScaling(float[] labels) => (0f, 1f);

    /// <summary>Each class's share of the training labels, or null for a kind without classes to balance.</summary>
    public virtual float[]? ClassPriors(TaskSpec task, float[] labels) => null;

    /// <summary>The same statistics as <see cref="TargetScaling"/> and <see cref="ClassPriors"/>, gathered one present label at a time.</summary>
    public virtual LabelStatistics NewLabelStatistics(TaskSpec task) => LabelStatistics.None;

    /// <summary>
    /// The loss target [N] from the labels with missing ones filled by 0 (<paramref name="filled"/>, float) and the
    /// presence mask; a new tensor.
    /// </summary>
    public virtual Tensor LossTarget(Tensor filled, Tensor mask, (float Mean, float Scale) scaling) => filled.clone();

    /// <summary>Per-row loss [B] of head output [B, width] against the loss target [B], before masking.</summary>
    public abstract Tensor PerRowLoss(Tensor head, Tensor target);

    /// <summary>
    /// The training loss of <see cref="PerRowLoss"/> with the class targets smoothed by <paramref name="smoothing"/> in
    /// [0, 1) (<see cref="Options.TrainingOptions.LabelSmoothing"/>): the target distribution is (1 − ε) on the label
    /// plus ε spread evenly over the classes. Kinds without classes ignore it.
    /// </summary>
    public virtual Tensor SmoothedPerRowLoss(Tensor head, Tensor target, double smoothing) => PerRowLoss(head, target);

    /// <summary>
    /// Whether the head's outputs are logits whose division by a temperature calibrates the probabilities and leaves
    /// the class ranking of each row as it is (<see cref="Options.TrainingOptions.TemperatureScaling"/>).
    /// </summary>
    public virtual bool IsLogits => false;

    /// <summary>Whether the task's prediction has a score [N] (<see cref="Training.TaskPrediction.Score"/>).</summary>
    public abstract bool HasScore { get; }

    /// <summary>Probabilities per row (0: none) in the task's prediction.</summary>
    public abstract int ProbabilityWidth(TaskSpec task);

    /// <summary>Whether the task's prediction has a predicted index [N].</summary>
    public abstract bool HasPredictedIndex { get; }

    /// <summary>
    /// Head output [B, width] → score [B], probabilities [B]|[B, K], predicted index [B] (int64), each null where the
    /// kind has none (<see cref="HasScore"/>, <see cref="ProbabilityWidth"/>, <see cref="HasPredictedIndex"/>).
    /// </summary>
    public abstract (Tensor? Score, Tensor? Probabilities, Tensor? Predicted) Predict(TrainedTask task, Tensor head);

    /// <summary>
    /// The ONNX form of <see cref="Predict"/>: adds the value of every <see cref="OnnxOutputKind"/> the kind has
    /// (except the attention, which every task has) to <paramref name="values"/>.
    /// </summary>
    public abstract void ExportOnnx(OnnxGraphBuilder g, TrainedTask task, string head, Dictionary<(string, OnnxOutputKind), string> values);

    /// <summary>
    /// An ensemble's members' head outputs [m, B, width] → one head output [B, width] whose readout
    /// (<see cref="Predict"/>) is the mean of the members' predictions: the mean score, or the mean probabilities.
    /// </summary>
    public abstract Tensor MeanOfMembers(Tensor members);

    /// <summary>The ONNX form of <see cref="MeanOfMembers"/>, from the members' head outputs, each [N, width].</summary>
    public abstract string MeanOfMembersOnnx(OnnxGraphBuilder g, IReadOnlyList<string> members, string prefix);

    /// <summary>log((1/m) Σ exp xᵢ) of the m inputs (the largest subtracted first, so exp cannot overflow), in ONNX.</summary>
    protected static string LogMeanExpOnnx(OnnxGraphBuilder g, IReadOnlyList<string> parts, string prefix)
    {
        var largest = g.Node("Max", parts, $"{prefix}_largest");
        var exps = parts.Select((x, i) => g.Node("Exp", [g.Node("Sub", [x, largest], $"{prefix}_shifted{i}")], $"{prefix}_exp{i}")).ToArray();
        var sum = exps.Length == 1 ? exps[0] : g.Node("Sum", exps, $"{prefix}_sum");
        var logMean = g.Node("Sub", [g.Node("Log", [sum], $"{prefix}_log_sum"), g.Constant($"{prefix}_log_m", [MathF.Log(parts.Count)])], $"{prefix}_log_mean");
        return g.Node("Add", [largest, logMean], $"{prefix}_log_mean_exp");
    }

    /// <summary>Whether the graph can output <paramref name="kind"/> for the task (attention aside).</summary>
    public abstract bool Offers(TaskSpec task, OnnxOutputKind kind);

    /// <summary>The task's outputs of <see cref="OnnxExportOptions.DefaultOutputs"/>, before its attention.</summary>
    public abstract IEnumerable<OnnxOutput> DefaultOutputs(TaskSpec task);
}
