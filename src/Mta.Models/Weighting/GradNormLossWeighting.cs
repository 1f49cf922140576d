using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mta.Models.Weighting;

/// <summary>
/// GradNorm (Chen et al., ICML 2018): learned weights w_k that equalize the tasks' gradient norms on the last
/// shared layer W, scaled by how far each task still is from its starting loss. Per batch, with
/// G_k = ‖∇_W w_k L_k‖, Ḡ their mean, r_k = (L_k/L_k(0)) / mean_j(L_j/L_j(0)) and target_k = Ḡ·r_k^α (a constant),
/// w descends L_grad = Σ_k |G_k − target_k|; then the weights are renormalized to sum to K.
/// </summary>
/// <remarks>
/// Because the target is held constant and G_k = w_k‖∇_W L_k‖, ∂L_grad/∂w_k = sign(G_k − target_k)·‖∇_W L_k‖
/// exactly, so no second-order graph is needed: one gradient of each task's loss with respect to W per batch.
/// The network itself is trained on Σ_k w_k L_k with w held fixed in that step.
/// </remarks>
internal sealed class GradNormLossWeighting : ILossWeighting
{
    private readonly IReadOnlyList<Parameter> _sharedLayer;
    private readonly double _alpha;
    private readonly double _learningRate;
    private readonly double[] _weights;
    private readonly double[] _firstLoss;
    // Adam moments for the K weights: a few doubles, so kept here rather than in a torch optimizer.
    private readonly double[] _m;
    private readonly double[] _v;
    private int _step;

    public GradNormLossWeighting(int taskCount, IReadOnlyList<Parameter> lastSharedLayer, double learningRate, double alpha = 1.5)
    {
        _sharedLayer = lastSharedLayer;
        _alpha = alpha;
        _learningRate = learningRate;
        _weights = Enumerable.Repeat(1.0, taskCount).ToArray();
        _firstLoss = new double[taskCount];
        _m = new double[taskCount];
        _v = new double[taskCount];
    }

    public IReadOnlyList<double> Weights => _weights;

    public IReadOnlyList<Parameter> Parameters => [];

    public Tensor Combine(IReadOnlyList<Tensor> taskLosses)
    {
        int k = taskLosses.Count;
        var total = FixedLossWeighting.WeightedSum(taskLosses, _weights);

        var gradNorm = new double[k];
        var loss = new double[k];
        for (int t = 0; t < k; t++)
        {
            loss[t] = taskLosses[t].item<float>();
            if (!taskLosses[t].requires_grad)
                continue;
            var grads = autograd.grad([taskLosses[t]], [.. _sharedLayer], retain_graph: true, allow_unused: true);
            double squared = 0;
            foreach (var g in grads)
            {
                if (g is not null && !g.IsInvalid)
                    squared += g.mul(g).sum().item<float>();   // not square(): it passes an implicit Scalar (see ConstantScalars)
            }
            gradNorm[t] = Math.Sqrt(squared);
        }
        // L_k(0): the first batch in which task k had labels (a task may be absent from the first batch).
        for (int t = 0; t < k; t++)
        {
            if (_firstLoss[t] == 0 && loss[t] > 0)
                _firstLoss[t] = loss[t];
        }
        Update(gradNorm, loss);
        return total;
    }

    private void Update(double[] gradNorm, double[] loss)
    {
        int k = _weights.Length;
        var g = gradNorm.Select((n, t) => _weights[t] * n).ToArray();
        double meanG = g.Average();
        var inverseRate = loss.Select((l, t) => _firstLoss[t] > 0 ? l / _firstLoss[t] : 0).ToArray();
        double meanRate = inverseRate.Average();
        if (meanG == 0 || meanRate == 0)
            return;

        const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;
        _step++;
        for (int t = 0; t < k; t++)
        {
            double target = meanG * Math.Pow(inverseRate[t] / meanRate, _alpha);
            double grad = Math.Sign(g[t] - target) * gradNorm[t];
            _m[t] = Beta1 * _m[t] + (1 - Beta1) * grad;
            _v[t] = Beta2 * _v[t] + (1 - Beta2) * grad * grad;
            double mHat = _m[t] / (1 - Math.Pow(Beta1, _step));
            double vHat = _v[t] / (1 - Math.Pow(Beta2, _step));
            // Weights stay positive: a task is never switched off or turned into gradient ascent.
            _weights[t] = Math.Max(1e-3, _weights[t] - _learningRate * mHat / (Math.Sqrt(vHat) + Epsilon));
        }
        double sum = _weights.Sum();
        for (int t = 0; t < k; t++)
            _weights[t] *= k / sum;
    }

    public void EndEpoch(IReadOnlyList<double> taskTrainLosses) { }

    public void Save(BinaryWriter writer)
    {
        foreach (var values in new[] { _weights, _firstLoss, _m, _v })
            StateIo.Write(writer, values);
        writer.Write(_step);
    }

    public void Load(BinaryReader reader)
    {
        foreach (var values in new[] { _weights, _firstLoss, _m, _v })
            StateIo.Read(reader, values.Length).CopyTo(values, 0);
        _step = reader.ReadInt32();
    }

    public void Dispose() { }
}
