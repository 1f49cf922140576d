using static TorchSharp.torch;
using TorchSharp.Modules;

namespace Mta.Models.Weighting;

/// <summary>
/// Random loss weighting (Lin et al., TMLR 2022, "Reasonable Effectiveness of Random Weighting"): every batch draws
/// fresh weights λ = K·softmax(ε) with ε ~ N(0, I), and minimizes Σ_k λ_k L_k. The randomness acts like a
/// regularizer that keeps any one task from dominating; scaled by K so that the weights average 1, like Fixed's.
/// </summary>
internal sealed class RandomLossWeighting(int taskCount, int seed) : ILossWeighting
{
    private readonly WeightingRandom _random = new((ulong)seed);
    private readonly EpochMeanWeights _mean = new(taskCount);

    /// <summary>The epoch's mean weights so far (1 before the first batch).</summary>
    public IReadOnlyList<double> Weights => _mean.Current;

    public IReadOnlyList<Parameter> Parameters => [];

    public Tensor Combine(IReadOnlyList<Tensor> taskLosses)
    {
        var weights = Draw(_random, taskLosses.Count);
        _mean.Add(weights);
        return FixedLossWeighting.WeightedSum(taskLosses, weights);
    }

    /// <summary>K·softmax(ε), ε standard normal.</summary>
    internal static double[] Draw(WeightingRandom random, int k)
    {
        var e = Enumerable.Range(0, k).Select(_ => random.NextNormal()).ToArray();
        double max = e.Max();
        var exp = e.Select(v => Math.Exp(v - max)).ToArray();
        double sum = exp.Sum();
        return exp.Select(v => k * v / sum).ToArray();
    }

    public void EndEpoch(IReadOnlyList<double> taskTrainLosses) => _mean.EndEpoch();

    public void Save(BinaryWriter writer)
    {
        _mean.Save(writer);
        writer.Write(_random.State);
    }

    public void Load(BinaryReader reader)
    {
        _mean.Load(reader);
        _random.State = reader.ReadUInt64();
    }

    public void Dispose() { }
}
