using Mta.Models.Architectures;
using Mta.Models.Data;
using Mta.Models.Options;
using Mta.Models.Tasks;
using Mta.Models.TorchSharpFixes;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mta.Models.Modules;

/// <summary>
/// standardize(x) → piecewise-linear bins (optional) → task encoder (the architecture: experts + attention, gates, masks, ...) [T, B, u]
/// → per-task towers [T, B, t] → per-task heads.
/// </summary>
/// <remarks>
/// Input standardization lives inside the network as buffers so that TorchSharp and the exported ONNX graph
/// compute exactly the same thing; a non-finite feature becomes 0 after standardization, i.e. the training mean.
/// For sets of items (<see cref="ItemLayout"/>) the row features are standardized per column and the items per item
/// value (d statistics, shared by every item); rows may have any number of items, and a padding item (all d values
/// non-finite) stays NaN after standardization: that is how the encoder, and the stored training tensors, know which
/// items are absent.
/// </remarks>
internal sealed class MultiTaskNetwork : nn.Module<Tensor, NetworkOutput>
{
    private readonly Tensor feature_mean;
    private readonly Tensor feature_scale;
    private readonly PiecewiseLinearEncoder? numeric;
    private readonly TaskEncoder encoder;
    private readonly GroupedMlp? towers;
    private readonly ModuleList<Linear> heads = new();

    /// <param name="tasks">The tasks, one head each.</param>
    /// <param name="featureCount">Values per training row.</param>
    /// <param name="inputScaling">The training features' mean and scale.</param>
    /// <param name="options">Network shape.</param>
    /// <param name="bins">The fitted bins when <see cref="NetworkOptions.UsesPiecewiseLinear"/>, else null.</param>
    public MultiTaskNetwork(IReadOnlyList<TaskSpec> tasks, int featureCount, Standardization inputScaling, NetworkOptions options,
        PiecewiseLinearBins? bins = null)
        : base(nameof(MultiTaskNetwork))
    {
        Tasks = tasks;
        Options = options;
        InputWidth = featureCount;
        Layout = ItemLayout.Of(options);
        if (Layout is not null && !Layout.Fits(featureCount))
            throw new ArgumentException($"The feature vector has {featureCount} values per row, not {Layout.Expected}.", nameof(featureCount));
        feature_mean = tensor(inputScaling.Mean);
        feature_scale = tensor(inputScaling.Scale);
        if (options.UsesPiecewiseLinear != (bins is not null))
            throw new ArgumentException("Piecewise-linear bins are needed exactly when the options use them.", nameof(bins));
        numeric = bins is null ? null : new PiecewiseLinearEncoder(nameof(numeric), bins);
        encoder = TaskEncoders.Create(numeric?.Width ?? featureCount, tasks.Count, options);
        int headInput = encoder.OutputWidth;
        if (options.TowerHiddenSizes.Count > 0)
        {
            towers = new GroupedMlp(nameof(towers), tasks.Count, headInput, options.TowerHiddenSizes, options.Activation, options.DropoutRate);
            headInput = towers.OutputWidth;
        }
        foreach (var task in tasks)
            heads.Add(nn.Linear(headInput, task.HeadWidth));
        RegisterComponents();
    }

    public IReadOnlyList<TaskSpec> Tasks { get; }

    public NetworkOptions Options { get; }

    /// <summary>Values per training row (for sets: the longest training row, padded).</summary>
    public int InputWidth { get; }

    /// <summary>How a row is row features and items, when rows are sets of items; null for fixed-width rows.</summary>
    public ItemLayout? Layout { get; }

    public Tensor FeatureMean => feature_mean;

    public Tensor FeatureScale => feature_scale;

    /// <summary>The piecewise-linear encoding between standardization and the encoder, or null.</summary>
    public PiecewiseLinearEncoder? Numeric => numeric;

    public TaskEncoder Encoder => encoder;

    public GroupedMlp? Towers => towers;

    public IReadOnlyList<Linear> Heads => [.. heads];

    /// <summary>
    /// The parameters every task's loss reaches: the bin encoder's and the task encoder's (including any per-task part
    /// inside the encoder, such as gates or attention queries). The towers and heads are each one task's own.
    /// </summary>
    public IEnumerable<Parameter> SharedParameters() => (numeric?.parameters() ?? []).Concat(encoder.parameters());

    public override NetworkOutput forward(Tensor x) => ForwardStandardized(Standardize(x));

    /// <summary>(x − mean) / scale with non-finite values → 0, the training mean (as the exported graph does).</summary>
    public Tensor Standardize(Tensor x)
    {
        if (Layout is { } layout)
            return StandardizeSet(x, layout);
        using var z = x.sub(feature_mean).div_(feature_scale);
        using var finite = z.isfinite();
        using var zero = zeros_like(z);
        return where(finite, z, zero);
    }

    /// <summary>
    /// [B, p + L·d] → the same shape: row features per column, items per item value, missing values → 0 and padding
    /// items (no finite value) → NaN.
    /// </summary>
    private Tensor StandardizeSet(Tensor x, ItemLayout layout)
    {
        using var scope = NewDisposeScope();
        int p = layout.RowFeatures, d = layout.ItemWidth;
        long rows = x.shape[0], items = layout.Items(x.shape[1]);
        var z = x.narrow(1, p, items * d).view(rows, items, d)
            .sub(feature_mean.narrow(0, p, d)).div_(feature_scale.narrow(0, p, d));          // [B, L, d] (L may be 0)
        var finite = z.isfinite();
        var padding = finite.any(-1, keepdim: true).logical_not();                            // [B, L, 1]
        var filled = where(finite, z, zeros_like(z));
        var standardized = where(padding, full_like(z, ConstantScalars.Of(double.NaN)), filled).view(rows, items * d);
        if (p > 0)
        {
            var row = x.narrow(1, 0, p).sub(feature_mean.narrow(0, 0, p)).div_(feature_scale.narrow(0, 0, p));
            standardized = cat([where(row.isfinite(), row, zeros_like(row)), standardized], 1);
        }
        return standardized.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The network after standardization (training standardizes its data once, up front). The bins are computed per
    /// batch rather than stored: stored, they would multiply the training tensors' memory by up to NumericBins.
    /// </summary>
    public NetworkOutput ForwardStandardized(Tensor z)
    {
        var (perTask, weights) = encoder.forward(numeric is null ? z : numeric.forward(z));   // [T, B, u], [B, T, W]
        if (towers is not null)
            perTask = towers.forward(perTask);                              // [T, B, t]
        var outputs = new Tensor[heads.Count];
        for (int k = 0; k < heads.Count; k++)
            outputs[k] = heads[k].forward(perTask[k]);
        return new NetworkOutput(outputs, weights);
    }
}
