using Mta.Models.TorchSharpFixes;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mta.Models.Training;

/// <summary>
/// Adam / AdamW over all of a network's parameters laid out in one flat buffer, with gradient clipping on the same
/// flat gradient: a step is ~10 tensor ops instead of ~10 per parameter tensor.
/// </summary>
/// <remarks>
/// <para>Why: for nets of this size a CPU training step costs what its number of tensor ops costs, not its FLOPs.
/// Per-parameter Adam and clip_grad_norm_ add a few ops per parameter tensor to every step (measured by
/// tests/Mta.PerfBenchmark).</para>
/// <para>How: each parameter is re-pointed (<c>set_</c>) at its slice of one values buffer and given its slice of one
/// gradient buffer as <c>.grad</c>; backward accumulates into existing gradients in place, so after backward the flat
/// gradient holds every parameter's gradient. The update math is PyTorch's single-tensor Adam/AdamW.</para>
/// </remarks>
internal sealed class FlatAdam : IDisposable
{
    private readonly Tensor _values;
    private readonly Tensor _grads;
    private readonly Tensor _m;
    private readonly Tensor _v;
    private double _learningRate;
    private readonly double _weightDecay;
    private readonly bool _decoupled;
    private readonly double _beta2;
    private const double Beta1 = 0.9, Epsilon = 1e-8;
    private double _scheduleFactor = 1;
    private readonly Scalar _weightDecayScalar;   // per optimizer: disposed with it (see ConstantScalars)
    private Scalar _decayFactor;                   // AdamW's 1 − lr·wd: replaced when the learning rate changes
    private long _step;
    private readonly Dictionary<IntPtr, long> _offsets = new();

    public FlatAdam(IReadOnlyList<Parameter> parameters, double learningRate, double weightDecay, bool decoupledWeightDecay, double beta2 = 0.999)
    {
        _learningRate = learningRate;
        _beta2 = beta2;
        _weightDecay = weightDecay;
        _decoupled = decoupledWeightDecay;
        _decayFactor = (1 - learningRate * weightDecay).ToScalar();
        _weightDecayScalar = weightDecay.ToScalar();
        long total = parameters.Sum(p => p.numel());
        _values = empty(total);
        _grads = zeros(total);
        _m = zeros(total);
        _v = zeros(total);
        using var noGrad = no_grad();
        long offset = 0;
        foreach (var p in parameters)
        {
            long n = p.numel();
            var slice = _values.narrow(0, offset, n).view(p.shape);
            slice.copy_(p);
            p.set_(slice);
            p.grad = _grads.narrow(0, offset, n).view(p.shape);
            _offsets[p.Handle] = offset;
            offset += n;
        }
    }

    /// <summary>The flat buffer every parameter is a view of: the network's live weights.</summary>
    public Tensor Values => _values;

    /// <summary>The flat gradient every parameter's .grad is a view of.</summary>
    public Tensor Gradients => _grads;

    /// <summary>The positions of <paramref name="subset"/>'s values in the flat buffers, as an int64 index, in ascending order.</summary>
    public Tensor Positions(IEnumerable<Parameter> subset)
    {
        var positions = new List<long>();
        foreach (var p in subset)
        {
            if (!_offsets.TryGetValue(p.Handle, out long offset))
                throw new ArgumentException("A parameter is not one this optimizer steps.", nameof(subset));
            for (long i = 0; i < p.numel(); i++)
                positions.Add(offset + i);
        }
        positions.Sort();
        return tensor(positions.ToArray());
    }

    /// <summary>The step size; the plateau schedule lowers it between epochs.</summary>
    public double LearningRate
    {
        get => _learningRate;
        set
        {
            _learningRate = value;
            ResetDecayFactor();
        }
    }

    /// <summary>
    /// The step-by-step schedule's multiplier of <see cref="LearningRate"/>, in [0, 1]: kept apart from the learning
    /// rate, which the plateau schedule lowers and checkpoints keep, because the trainer recomputes it from the step.
    /// </summary>
    public double ScheduleFactor
    {
        get => _scheduleFactor;
        set
        {
            if (value == _scheduleFactor)
                return;
            _scheduleFactor = value;
            ResetDecayFactor();
        }
    }

    private void ResetDecayFactor()
    {
        _decayFactor.Dispose();
        _decayFactor = (1 - _learningRate * _scheduleFactor * _weightDecay).ToScalar();
    }

    /// <summary>Zeroes the flat gradient (the parameters' .grad views stay in place).</summary>
    public void ZeroGrad() => _grads.zero_();

    /// <summary>Scales the gradient so its global L2 norm is at most <paramref name="maxNorm"/> (as clip_grad_norm_).</summary>
    public void ClipGradNorm(double maxNorm)
    {
        using var scope = NewDisposeScope();
        using var max = maxNorm.ToScalar();
        var coefficient = _grads.norm().add_(ConstantScalars.Of(1e-6), ConstantScalars.One).reciprocal_().mul_(max).clamp_max_(ConstantScalars.Of(1.0));
        _grads.mul_(coefficient);
    }

    public void Step()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        _step++;
        var grad = _grads;
        if (_weightDecay > 0)
        {
            if (_decoupled)
                _values.mul_(_decayFactor);
            else
                grad = _grads.add(_values, alpha: _weightDecayScalar);
        }
        _m.mul_(ConstantScalars.Of(Beta1)).add_(grad, alpha: ConstantScalars.Of(1 - Beta1));
        _v.mul_(ConstantScalars.Of(_beta2)).addcmul_(grad, grad, value: ConstantScalars.Of(1 - _beta2));
        // The bias corrections change every step: Scalars disposed here, not left to a finalizer (see ConstantScalars).
        using var correction2 = Math.Sqrt(1 - Math.Pow(_beta2, _step)).ToScalar();
        using var stepSize = (-_learningRate * _scheduleFactor / (1 - Math.Pow(Beta1, _step))).ToScalar();
        var denominator = _v.sqrt().div_(correction2).add_(ConstantScalars.Of(Epsilon), ConstantScalars.One);
        _values.addcdiv_(_m, denominator, value: stepSize);
    }

    /// <summary>Writes the step count, learning rate and moments (for checkpoints).</summary>
    public void Save(BinaryWriter writer)
    {
        writer.Write(_step);
        writer.Write(_learningRate);
        writer.Write(_m.bytes);
        writer.Write(_v.bytes);
    }

    public void Load(BinaryReader reader)
    {
        _step = reader.ReadInt64();
        double learningRate = reader.ReadDouble();
        if (!(learningRate > 0))
            throw new InvalidDataException("optimizer state has no valid learning rate.");
        LearningRate = learningRate;
        TensorBytes.ReadInto(reader, _m, "optimizer state");
        TensorBytes.ReadInto(reader, _v, "optimizer state");
    }

    public void Dispose()
    {
        _decayFactor.Dispose();
        _weightDecayScalar.Dispose();
        _values.Dispose();
        _grads.Dispose();
        _m.Dispose();
        _v.Dispose();
    }
}
