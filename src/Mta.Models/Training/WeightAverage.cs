using Mta.Models.TorchSharpFixes;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mta.Models.Training;

/// <summary>
/// An exponential moving average of the network's weights (Polyak averaging), updated after every optimizer step:
/// average ← d·average + (1 − d)·weights, starting from the initial weights, with d = min(decay, (1 + t) / (10 + t))
/// after t earlier updates.
/// </summary>
/// <remarks>
/// Why: with a constant learning rate the weights after any one step carry that step's mini-batch noise; their average
/// over the last ~1/(1 − d) steps is a smoother point that generalizes better. Validation (so early stopping and the
/// best epoch) and the model returned use the average; training keeps stepping the live weights.
/// The warm-up of d (TensorFlow's ExponentialMovingAverage with num_updates) keeps the average near the recent weights
/// while there are few steps: a short run (small data, few epochs) would otherwise return little more than the
/// initial weights (0.99^50 ≈ 0.6 of them after 50 steps).
/// How: the live weights are the optimizer's one flat buffer (<see cref="FlatAdam"/>), so an update is two tensor ops
/// and reading the average is a copy into that buffer.
/// Batch-norm running statistics are averaged alongside, with the same d: they are measured with the live weights, and
/// the averaged weights judged with the live statistics would be normalized for a network that is not the one judged.
/// </remarks>
internal sealed class WeightAverage : IDisposable
{
    private readonly Tensor _weights;   // the optimizer's flat buffer, which every parameter views
    private readonly Tensor _average;
    private readonly Tensor[] _statistics;   // the network's batch-norm running means and variances (often none)
    private readonly Tensor[] _statisticAverages;
    private readonly double _decay;
    private long _updates;

    public WeightAverage(Tensor weights, IReadOnlyList<Tensor> statistics, double decay)
    {
        _weights = weights;
        _statistics = [.. statistics];
        using (no_grad())
        {
            _average = weights.clone();   // no chained temporary for a finalizer to free mid-call (see ConstantScalars)
            _statisticAverages = [.. _statistics.Select(s => s.clone())];
        }
        _decay = decay;
    }

    /// <summary>The running statistics of <paramref name="network"/>'s batch-norm layers: the state that changes in training besides the weights.</summary>
    public static IReadOnlyList<Tensor> RunningStatistics(nn.Module network) =>
        [.. network.modules().OfType<BatchNorm>().SelectMany(n => new[] { n.running_mean, n.running_var }).OfType<Tensor>()];

    /// <summary>Folds the weights after an optimizer step into the average.</summary>
    public void Update()
    {
        double warmUp = (1.0 + _updates) / (10.0 + _updates);
        _updates++;
        using var noGrad = no_grad();
        if (warmUp >= _decay)
        {
            // The steady state: kept Scalars, nothing allocated per step.
            Mix(ConstantScalars.Of(_decay), ConstantScalars.Of(1 - _decay));
            return;
        }
        // Values that change every step: disposed here, not left to a finalizer (see ConstantScalars).
        using var keep = warmUp.ToScalar();
        using var share = (1 - warmUp).ToScalar();
        Mix(keep, share);
    }

    private void Mix(Scalar keep, Scalar share)
    {
        _average.mul_(keep).add_(_weights, share);
        for (int i = 0; i < _statistics.Length; i++)
            _statisticAverages[i].mul_(keep).add_(_statistics[i], share);
    }

    /// <summary>Puts the average into the network until the returned scope is disposed, then the live weights back.</summary>
    public IDisposable Use()
    {
        using var noGrad = no_grad();
        Tensor[] targets = [_weights, .. _statistics];
        Tensor[] live = [.. targets.Select(t => t.clone())];
        CopyAverageIn();
        return new LiveWeights(targets, live);
    }

    /// <summary>Leaves the average in the network for good (the end of training).</summary>
    public void Apply()
    {
        using var noGrad = no_grad();
        CopyAverageIn();
    }

    private void CopyAverageIn()
    {
        _weights.copy_(_average);
        for (int i = 0; i < _statistics.Length; i++)
            _statistics[i].copy_(_statisticAverages[i]);
    }

    /// <summary>Writes the update count and the average (for checkpoints).</summary>
    public void Save(BinaryWriter writer)
    {
        writer.Write(_updates);
        writer.Write(_average.bytes);
        foreach (var average in _statisticAverages)
            writer.Write(average.bytes);
    }

    public void Load(BinaryReader reader)
    {
        _updates = reader.ReadInt64();
        if (_updates < 0)
            throw new InvalidDataException("the weight average has a negative update count.");
        TensorBytes.ReadInto(reader, _average, "the weight average");
        foreach (var average in _statisticAverages)
            TensorBytes.ReadInto(reader, average, "the average of the batch-norm statistics");
    }

    public void Dispose()
    {
        _average.Dispose();
        foreach (var average in _statisticAverages)
            average.Dispose();
    }

    private sealed class LiveWeights(Tensor[] targets, Tensor[] live) : IDisposable
    {
        public void Dispose()
        {
            using (no_grad())
            {
                for (int i = 0; i < targets.Length; i++)
                    targets[i].copy_(live[i]);
            }
            foreach (var tensor in live)
                tensor.Dispose();
        }
    }
}
