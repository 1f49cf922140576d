using Mta.Models.Onnx;
using Mta.Models.Options;
using Mta.Models.TorchSharpFixes;
using TorchSharp;
using static TorchSharp.torch;

namespace Mta.Models.Tasks.Heads;

/// <summary>
/// K classes: K logits, cross-entropy; reads out the class probabilities (under equal class priors for the balanced
/// decision), the arg-max class index and, when the task has class labels, its label.
/// </summary>
internal sealed class MulticlassHead : TaskHead
{
    public override TaskKind Kind => TaskKind.Multiclass;

    public override int ClassCount(int classCount, IReadOnlyList<string>? classLabels) => classLabels?.Count ?? classCount;

    public override void CheckClasses(string name, int classCount, IReadOnlyList<string>? classLabels)
    {
        if (classCount < 2)
            throw new ArgumentException($"Task '{name}': a multiclass task needs at least 2 classes (got {classCount}).", nameof(classCount));
        if (classLabels is not null && classLabels.Count != classCount)
            throw new ArgumentException($"Task '{name}': {classLabels.Count} class labels for {classCount} classes.", nameof(classLabels));
    }

    public override int Width(TaskSpec task) => task.ClassCount;

    public override bool IsValidLabel(TaskSpec task, float y) => y >= 0 && y < task.ClassCount && y == MathF.Floor(y);

    public override string Describe(TaskSpec task) => $"{base.Describe(task)} with {task.ClassCount} classes";

    public override float[]? ClassPriors(TaskSpec task, float[] labels)
    {
        var statistics = new ClassCounts(task.ClassCount);
        foreach (float y in labels)
        {
            if (!float.IsNaN(y))
                statistics.Add(y);
        }
        return statistics.ClassPriors;
    }

    public override LabelStatistics NewLabelStatistics(TaskSpec task) => new ClassCounts(task.ClassCount);

    public override Tensor LossTarget(Tensor filled, Tensor mask, (float Mean, float Scale) scaling) => filled.to_type(ScalarType.Int64);

    public override Tensor PerRowLoss(Tensor head, Tensor target) =>
        nn.functional.cross_entropy(head, target, reduction: nn.Reduction.None);

    // Logits whose softmax is the members' mean probability: log of the mean of the members' probabilities.
    public override Tensor MeanOfMembers(Tensor members) =>
        members.log_softmax(-1).logsumexp(0).sub_(ConstantScalars.Of(Math.Log(members.shape[0])));

    public override string MeanOfMembersOnnx(OnnxGraphBuilder g, IReadOnlyList<string> members, string prefix) =>
        LogMeanExpOnnx(g, members.Select((m, i) => g.Node("LogSoftmax", [m], $"{prefix}_member{i}_log_p", OnnxAttr.Int("axis", -1))).ToArray(), prefix);

    // (1 − ε)·(−log p_y) + ε·mean over classes of (−log p_c).
    public override Tensor SmoothedPerRowLoss(Tensor head, Tensor target, double smoothing)
    {
        if (smoothing == 0)
            return PerRowLoss(head, target);
        using var scope = NewDisposeScope();
        var logP = head.log_softmax(-1);
        var label = logP.gather(1, target.unsqueeze(1)).squeeze(1);
        var uniform = logP.mean([1]);
        return label.mul(ConstantScalars.Of(smoothing - 1)).sub_(uniform.mul(ConstantScalars.Of(smoothing))).MoveToOuterDisposeScope();
    }

    public override bool IsLogits => true;

    public override bool HasScore => false;

    public override int ProbabilityWidth(TaskSpec task) => task.ClassCount;

    public override bool HasPredictedIndex => true;

    public override (Tensor? Score, Tensor? Probabilities, Tensor? Predicted) Predict(TrainedTask task, Tensor head)
    {
        var p = head.softmax(-1);
        if (DecisionPriors(task) is { } priors)
        {
            // Balanced: the class probabilities under equal class priors, p_c / π_c renormalized,
            // computed as the exported graph computes it.
            var adjusted = p.div(tensor(priors));
            p = adjusted.div(adjusted.sum(-1, keepdim: true));
        }
        return (null, p, p.argmax(-1));
    }

    public override void ExportOnnx(OnnxGraphBuilder g, TrainedTask task, string head, Dictionary<(string, OnnxOutputKind), string> values)
    {
        var spec = task.Task;
        string p = OnnxNetworkWriter.Prefix(spec.Name);
        var probabilities = g.Node("Softmax", [head], $"{p}_probabilities", OnnxAttr.Int("axis", -1));
        if (DecisionPriors(task) is { } priors)
        {
            // Balanced: p_c / π_c renormalized (the probabilities under equal class priors).
            var adjusted = g.Node("Div", [probabilities, g.Constant($"{p}_class_priors", priors, priors.Length)], $"{p}_adjusted");
            var total = g.Node("ReduceSum", [adjusted, g.Constant("axis1", [1L], 1)], $"{p}_adjusted_total", OnnxAttr.Int("keepdims", 1));
            probabilities = g.Node("Div", [adjusted, total], $"{p}_balanced_probabilities");
        }
        var index = g.Node("ArgMax", [probabilities], $"{p}_predicted_index", OnnxAttr.Int("axis", 1), OnnxAttr.Int("keepdims", 0));
        values[(spec.Name, OnnxOutputKind.Probabilities)] = probabilities;
        values[(spec.Name, OnnxOutputKind.PredictedIndex)] = index;
        if (spec.ClassLabels is not null)
        {
            var labels = g.Constant($"{p}_class_labels", spec.ClassLabels.ToArray(), spec.ClassCount);
            values[(spec.Name, OnnxOutputKind.PredictedClassLabel)] = g.Node("Gather", [labels, index], $"{p}_predicted_label", OnnxAttr.Int("axis", 0));
        }
    }

    public override bool Offers(TaskSpec task, OnnxOutputKind kind) => kind switch
    {
        OnnxOutputKind.Probabilities or OnnxOutputKind.PredictedIndex => true,
        OnnxOutputKind.PredictedClassLabel => task.ClassLabels is not null,
        _ => false,
    };

    public override IEnumerable<OnnxOutput> DefaultOutputs(TaskSpec task) =>
    [
        new(task.Name, OnnxOutputKind.Probabilities, $"{task.Name}_probabilities"),
        new(task.Name, OnnxOutputKind.PredictedIndex, $"{task.Name}_predicted_index"),
    ];

    /// <summary>The priors the predicted class is divided by, or null for the most-likely decision.</summary>
    private static float[]? DecisionPriors(TrainedTask task) =>
        task.Decision == MulticlassDecision.Balanced ? task.ClassPriors : null;

    /// <summary>How often each class occurs among the labels added, and each class's share.</summary>
    private sealed class ClassCounts(int classCount) : LabelStatistics
    {
        private readonly long[] _counts = new long[classCount];

        public override void Add(float y) => _counts[(int)y]++;

        /// <summary>
        /// (count + 1) / (total + K): add-one smoothing keeps a class absent from the training labels at a small prior
        /// instead of 0 (which would make dividing by it predict that class everywhere).
        /// </summary>
        public override float[]? ClassPriors
        {
            get
            {
                double total = _counts.Sum() + _counts.Length;
                return _counts.Select(c => (float)((c + 1) / total)).ToArray();
            }
        }
    }
}
