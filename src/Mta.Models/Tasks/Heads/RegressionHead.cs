using Mta.Models.Data;
using Mta.Models.Onnx;
using Mta.Models.TorchSharpFixes;
using TorchSharp;
using static TorchSharp.torch;

namespace Mta.Models.Tasks.Heads;

/// <summary>
/// A real value: one output, squared error on the target standardized by the training labels' mean and scale; reads
/// out the value in label units.
/// </summary>
internal sealed class RegressionHead : TaskHead
{
    public override TaskKind Kind => TaskKind.Regression;

    public override int ClassCount(int classCount, IReadOnlyList<string>? classLabels) => 1;

    public override bool IsValidLabel(TaskSpec task, float y) => float.IsFinite(y);

    public override (float Mean, float Scale) TargetScaling(float[] labels) => Standardization.FitColumn(labels);

    public override LabelStatistics NewLabelStatistics(TaskSpec task) => new Moments();

    public override Tensor LossTarget(Tensor filled, Tensor mask, (float Mean, float Scale) scaling)
    {
        using var mean = scaling.Mean.ToScalar();      // disposed, not left to a finalizer (see ConstantScalars)
        using var scale = scaling.Scale.ToScalar();
        return filled.sub(mean).div_(scale).mul_(mask);
    }

    // x·x rather than square(): TorchSharp's square() is pow(2) with an implicit Scalar (see ConstantScalars).
    public override Tensor PerRowLoss(Tensor head, Tensor target)
    {
        var difference = head.squeeze(1).sub(target);
        return difference.mul(difference);
    }

    public override Tensor MeanOfMembers(Tensor members) => members.mean([0]);

    public override string MeanOfMembersOnnx(OnnxGraphBuilder g, IReadOnlyList<string> members, string prefix)
    {
        var sum = members.Count == 1 ? members[0] : g.Node("Sum", members, $"{prefix}_member_sum");
        return g.Node("Mul", [sum, g.Constant($"{prefix}_one_over_m", [1f / members.Count])], $"{prefix}_member_mean");
    }

    public override bool HasScore => true;

    public override int ProbabilityWidth(TaskSpec task) => 0;

    public override bool HasPredictedIndex => false;

    public override (Tensor? Score, Tensor? Probabilities, Tensor? Predicted) Predict(TrainedTask task, Tensor head)
    {
        using var scale = task.TargetScaling.Scale.ToScalar();
        using var mean = task.TargetScaling.Mean.ToScalar();
        return (head.squeeze(1).mul(scale).add(mean, ConstantScalars.One), null, null);
    }

    public override void ExportOnnx(OnnxGraphBuilder g, TrainedTask task, string head, Dictionary<(string, OnnxOutputKind), string> values)
    {
        var (mean, scale) = task.TargetScaling;
        string p = OnnxNetworkWriter.Prefix(task.Task.Name);
        var standardized = g.Node("Squeeze", [head, g.Constant("axis1", [1L], 1)], $"{p}_standardized");
        var scaled = g.Node("Mul", [standardized, g.Constant($"{p}_target_scale", [scale])], $"{p}_scaled");
        values[(task.Task.Name, OnnxOutputKind.Value)] = g.Node("Add", [scaled, g.Constant($"{p}_target_mean", [mean])], $"{p}_value");
    }

    public override bool Offers(TaskSpec task, OnnxOutputKind kind) => kind == OnnxOutputKind.Value;

    public override IEnumerable<OnnxOutput> DefaultOutputs(TaskSpec task) =>
        [new(task.Name, OnnxOutputKind.Value, $"{task.Name}_value")];

    /// <summary>The mean and scale of the labels added, as <see cref="StandardizationAccumulator"/> computes them.</summary>
    private sealed class Moments : LabelStatistics
    {
        private readonly StandardizationAccumulator _accumulator = new(1);

        public override void Add(float y) => _accumulator.Add([y]);

        public override (float Mean, float Scale) TargetScaling
        {
            get
            {
                var s = _accumulator.ToStandardization();
                return (s.Mean[0], s.Scale[0]);
            }
        }
    }
}
