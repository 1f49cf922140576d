using static TorchSharp.torch;
using TorchSharp.Modules;

namespace Mta.Models.Weighting;

/// <summary>
/// FAMO (Liu et al., NeurIPS 2023, "Fast Adaptive Multitask Optimization"): seeks the step that decreases every
/// task's log-loss at an equal rate, at the cost of one loss-level weighting. Task weights z = softmax(ξ); each batch
/// minimizes Σ_k (z_k / c) log L_k with c = Σ_k z_k / L_k held constant, i.e. the gradient Σ_k λ_k ∇L_k with
/// λ_k = z_k / (c·L_k); after the step the losses on the same batch are measured again and ξ takes an Adam step
/// (the paper's step size and L2 decay, the constructor's defaults) along Jᵀδ, where δ_k = log L_k(before) − log L_k(after) and J
/// is softmax's Jacobian: a task that gained less from the step gets more weight.
/// </summary>
/// <remarks>
/// The λ sum to 1; they are scaled by K to the scale of Fixed's sum. A task whose batch loss is exactly 0 (no labels
/// in the batch, or nothing left to learn) is left out of that step: log 0 would take all the weight.
/// </remarks>
internal sealed class FamoLossWeighting(int taskCount, double rate = 0.025, double decay = 0.001) : ILossWeighting
{
    private const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;
    private readonly double[] _logits = new double[taskCount];
    private readonly double[] _m = new double[taskCount];
    private readonly double[] _v = new double[taskCount];
    private readonly double[] _before = new double[taskCount];
    private readonly EpochMeanWeights _mean = new(taskCount);
    private int _adamSteps;

    public IReadOnlyList<double> Weights => _mean.Current;

    public IReadOnlyList<Parameter> Parameters => [];

    public bool NeedsLossesAfterStep => true;

    /// <summary>softmax(ξ): the weights FAMO learns.</summary>
    internal double[] TaskWeights()
    {
        double max = _logits.Max();
        var exp = _logits.Select(l => Math.Exp(l - max)).ToArray();
        double sum = exp.Sum();
        return exp.Select(e => e / sum).ToArray();
    }

    public Tensor Combine(IReadOnlyList<Tensor> taskLosses)
    {
        int k = taskLosses.Count;
        var values = stack([.. taskLosses]).detach().data<float>().ToArray();
        var z = TaskWeights();
        double c = 0;
        for (int t = 0; t < k; t++)
        {
            _before[t] = values[t];
            if (values[t] > 0)
                c += z[t] / values[t];
        }
        var lambda = new double[k];
        for (int t = 0; t < k; t++)
            lambda[t] = values[t] > 0 && c > 0 ? k * z[t] / (c * values[t]) : 0;
        _mean.Add(lambda);
        return FixedLossWeighting.WeightedSum(taskLosses, lambda);
    }

    public void AfterStep(IReadOnlyList<double> taskLosses)
    {
        int k = _logits.Length;
        var delta = new double[k];
        for (int t = 0; t < k; t++)
            delta[t] = _before[t] > 0 && taskLosses[t] > 0 ? Math.Log(_before[t]) - Math.Log(taskLosses[t]) : 0;
        var z = TaskWeights();
        double mean = z.Select((w, t) => w * delta[t]).Sum();
        _adamSteps++;
        for (int t = 0; t < k; t++)
        {
            double grad = z[t] * (delta[t] - mean) + decay * _logits[t];
            _m[t] = Beta1 * _m[t] + (1 - Beta1) * grad;
            _v[t] = Beta2 * _v[t] + (1 - Beta2) * grad * grad;
            double mHat = _m[t] / (1 - Math.Pow(Beta1, _adamSteps));
            double vHat = _v[t] / (1 - Math.Pow(Beta2, _adamSteps));
            _logits[t] -= rate * mHat / (Math.Sqrt(vHat) + Epsilon);
        }
    }

    public void EndEpoch(IReadOnlyList<double> taskTrainLosses) => _mean.EndEpoch();

    public void Save(BinaryWriter writer)
    {
        foreach (var values in new[] { _logits, _m, _v })
            StateIo.Write(writer, values);
        writer.Write(_adamSteps);
        _mean.Save(writer);
    }

    public void Load(BinaryReader reader)
    {
        foreach (var values in new[] { _logits, _m, _v })
            StateIo.Read(reader, values.Length).CopyTo(values, 0);
        _adamSteps = reader.ReadInt32();
        _mean.Load(reader);
    }

    public void Dispose() { }
}
