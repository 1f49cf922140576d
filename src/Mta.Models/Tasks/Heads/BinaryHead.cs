using Mta.Models.Onnx;
using Mta.Models.TorchSharpFixes;
using TorchSharp;
using static TorchSharp.torch;

namespace Mta.Models.Tasks.Heads;

/// <summary>Two classes: one logit, binary cross-entropy; reads out the logit, P(label = 1) and logit &gt; 0.</summary>
internal sealed class BinaryHead : TaskHead
{
    public override TaskKind Kind => TaskKind.Binary;

    public override int ClassCount(int classCount, IReadOnlyList<string>? classLabels) => 2;

    public override bool IsValidLabel(TaskSpec task, float y) => y is 0f or 1f;

    // One class only: the task can only learn a constant, and its AUC is undefined; almost always a data mistake.
    public override string? TrainingLabelsProblem(TaskSpec task, float[] labels)
    {
        int present = 0, positives = 0;
        foreach (float y in labels)
        {
            if (float.IsNaN(y))
                continue;
            present++;
            if (y == 1f)
                positives++;
        }
        return positives == 0 || positives == present
            ? $"Task '{task.Name}': every present label is {(positives == 0 ? "0 (false)" : "1 (true)")}; " +
                "a binary task needs both classes in the training data."
            : null;
    }

    public override Tensor PerRowLoss(Tensor head, Tensor target) =>
        nn.functional.binary_cross_entropy_with_logits(head.squeeze(1), target, reduction: nn.Reduction.None);

    // The two-class form of the smoothed target: t(1 − ε) + ε/2.
    public override Tensor SmoothedPerRowLoss(Tensor head, Tensor target, double smoothing)
    {
        if (smoothing == 0)
            return PerRowLoss(head, target);
        using var smoothed = target.mul(ConstantScalars.Of(1 - smoothing)).add_(ConstantScalars.Of(smoothing / 2));
        return PerRowLoss(head, smoothed);
    }

    public override bool IsLogits => true;

    public override bool HasScore => true;

    public override int ProbabilityWidth(TaskSpec task) => 1;

    // The logit of the members' mean probability p̄: log p̄ − log(1 − p̄), each a log-mean-exp of log-sigmoids.
    public override Tensor MeanOfMembers(Tensor members)
    {
        using var logP = nn.functional.logsigmoid(members);
        using var negated = members.neg();
        using var logQ = nn.functional.logsigmoid(negated);
        using var a = logP.logsumexp(0);
        using var b = logQ.logsumexp(0);
        return a.sub(b);
    }

    public override string MeanOfMembersOnnx(OnnxGraphBuilder g, IReadOnlyList<string> members, string prefix)
    {
        // log σ(x) = −softplus(−x); log(1 − σ(x)) = −softplus(x).
        var logP = members.Select((m, i) => g.Node("Neg", [g.Node("Softplus", [g.Node("Neg", [m], $"{prefix}_member{i}_neg")], $"{prefix}_member{i}_softplus_neg")], $"{prefix}_member{i}_log_p")).ToArray();
        var logQ = members.Select((m, i) => g.Node("Neg", [g.Node("Softplus", [m], $"{prefix}_member{i}_softplus")], $"{prefix}_member{i}_log_q")).ToArray();
        return g.Node("Sub", [LogMeanExpOnnx(g, logP, $"{prefix}_p"), LogMeanExpOnnx(g, logQ, $"{prefix}_q")], $"{prefix}_member_logit");
    }

    public override bool HasPredictedIndex => true;

    public override (Tensor? Score, Tensor? Probabilities, Tensor? Predicted) Predict(TrainedTask task, Tensor head)
    {
        var logit = head.squeeze(1);
        return (logit, logit.sigmoid(), logit.gt(ConstantScalars.Of(0)).to_type(ScalarType.Int64));
    }

    public override void ExportOnnx(OnnxGraphBuilder g, TrainedTask task, string head, Dictionary<(string, OnnxOutputKind), string> values)
    {
        string name = task.Task.Name, p = OnnxNetworkWriter.Prefix(name);
        var logit = g.Node("Squeeze", [head, g.Constant("axis1", [1L], 1)], $"{p}_logit");
        values[(name, OnnxOutputKind.Logit)] = logit;
        values[(name, OnnxOutputKind.Probability)] = g.Node("Sigmoid", [logit], $"{p}_probability");
        values[(name, OnnxOutputKind.PredictedFlag)] = g.Node("Greater", [logit, g.Constant("zero", [0f])], $"{p}_predicted");
    }

    public override bool Offers(TaskSpec task, OnnxOutputKind kind) =>
        kind is OnnxOutputKind.Logit or OnnxOutputKind.Probability or OnnxOutputKind.PredictedFlag;

    public override IEnumerable<OnnxOutput> DefaultOutputs(TaskSpec task) =>
        [new(task.Name, OnnxOutputKind.Probability, $"{task.Name}_probability")];
}
