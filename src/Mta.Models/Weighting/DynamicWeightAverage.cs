using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mta.Models.Weighting;

/// <summary>
/// Dynamic Weight Average (Liu, Johns and Davison, CVPR 2019): λ_k = K·softmax_k(r_k / T) with
/// r_k = L_k(t−1) / L_k(t−2), the ratio of task k's mean training loss over the last two epochs, and T = 2.
/// A task whose loss has stopped falling (r_k near 1 or above) gets more weight than one still improving fast.
/// λ = 1 for the first two epochs, when no ratio exists yet.
/// </summary>
internal sealed class DynamicWeightAverage(int taskCount, double temperature = 2.0) : ILossWeighting
{
    private readonly double[] _weights = Enumerable.Repeat(1.0, taskCount).ToArray();
    private IReadOnlyList<double>? _previous;
    private IReadOnlyList<double>? _beforePrevious;

    public IReadOnlyList<double> Weights => _weights;

    public IReadOnlyList<Parameter> Parameters => [];

    public Tensor Combine(IReadOnlyList<Tensor> taskLosses) => FixedLossWeighting.WeightedSum(taskLosses, _weights);

    public void EndEpoch(IReadOnlyList<double> taskTrainLosses)
    {
        _beforePrevious = _previous;
        _previous = taskTrainLosses.ToArray();
        if (_beforePrevious is null)
            return;
        // A task with no labels in an epoch has loss 0: ratio 1 (no evidence either way) instead of 0/0.
        var scaled = _previous.Select((l, k) => (_beforePrevious[k] > 0 ? l / _beforePrevious[k] : 1.0) / temperature).ToArray();
        double max = scaled.Max();
        var exp = scaled.Select(v => Math.Exp(v - max)).ToArray();
        double sum = exp.Sum();
        for (int k = 0; k < _weights.Length; k++)
            _weights[k] = _weights.Length * exp[k] / sum;
    }

    public void Save(BinaryWriter writer)
    {
        StateIo.Write(writer, _weights);
        StateIo.WriteOptional(writer, _previous);
        StateIo.WriteOptional(writer, _beforePrevious);
    }

    public void Load(BinaryReader reader)
    {
        StateIo.Read(reader, _weights.Length).CopyTo(_weights, 0);
        _previous = StateIo.ReadOptional(reader, _weights.Length);
        _beforePrevious = StateIo.ReadOptional(reader, _weights.Length);
    }

    public void Dispose() { }
}
