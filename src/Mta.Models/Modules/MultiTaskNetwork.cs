using Mta.Models.Architectures;
using Mta.Models.Data;
using Mta.Models.Options;
using Mta.Models.Tasks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mta.Models.Modules;

/// <summary>
/// standardize(x) → task encoder (the architecture: experts + attention, gates, masks, ...) [T, B, u]
/// → per-task towers [T, B, t] → per-task heads.
/// </summary>
/// <remarks>
/// Input standardization lives inside the network as buffers so that TorchSharp and the exported ONNX graph
/// compute exactly the same thing; a non-finite feature becomes 0 after standardization, i.e. the training mean.
/// For sets of items (<see cref="NetworkOptions.SetItemWidth"/>) the statistics are per item value (d of them, shared
/// by every item), rows may have any number of items, and a padding item (all d values non-finite) stays NaN after
/// standardization: that is how the encoder, and the stored training tensors, know which items are absent.
/// </remarks>
internal sealed class MultiTaskNetwork : nn.Module<Tensor, NetworkOutput>
{
    private readonly Tensor feature_mean;
    private readonly Tensor feature_scale;
    private readonly TaskEncoder encoder;
    private readonly GroupedMlp? towers;
    private readonly ModuleList<Linear> heads = new();

    public MultiTaskNetwork(IReadOnlyList<TaskSpec> tasks, int featureCount, Standardization inputScaling, NetworkOptions options)
        : base(nameof(MultiTaskNetwork))
    {
        Tasks = tasks;
        Options = options;
        InputWidth = featureCount;
        ItemWidth = options.SetItemWidth;
        if (ItemWidth is int d && featureCount % d != 0)
            throw new ArgumentException($"The feature vector has {featureCount} values per row, not a whole number of items of ItemWidth {d}.", nameof(featureCount));
        feature_mean = tensor(inputScaling.Mean);
        feature_scale = tensor(inputScaling.Scale);
        encoder = TaskEncoders.Create(featureCount, tasks.Count, options);
        int headInput = encoder.OutputWidth;
        if (options.TowerHiddenSizes.Count > 0)
        {
            towers = new GroupedMlp(nameof(towers), tasks.Count, headInput, options.TowerHiddenSizes, options.Activation, options.Dropout);
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

    /// <summary>Values per item when rows are sets of items; null for fixed-width rows.</summary>
    public int? ItemWidth { get; }

    public Tensor FeatureMean => feature_mean;

    public Tensor FeatureScale => feature_scale;

    public TaskEncoder Encoder => encoder;

    public GroupedMlp? Towers => towers;

    public IReadOnlyList<Linear> Heads => [.. heads];

    public override NetworkOutput forward(Tensor x) => ForwardStandardized(Standardize(x));

    /// <summary>(x − mean) / scale with non-finite values → 0, the training mean (as the exported graph does).</summary>
    public Tensor Standardize(Tensor x)
    {
        if (ItemWidth is int d)
            return StandardizeItems(x, d);
        using var z = x.sub(feature_mean).div_(feature_scale);
        using var finite = z.isfinite();
        using var zero = zeros_like(z);
        return where(finite, z, zero);
    }

    /// <summary>Per item value: [B, L·d] → [B, L·d] with missing values → 0 and padding items (no finite value) → NaN.</summary>
    private Tensor StandardizeItems(Tensor x, int d)
    {
        using var scope = NewDisposeScope();
        var z = x.view(x.shape[0], x.shape[1] / d, d).sub(feature_mean).div_(feature_scale); // [B, L, d] (L may be 0)
        var finite = z.isfinite();
        var padding = finite.any(-1, keepdim: true).logical_not();                            // [B, L, 1]
        var filled = where(finite, z, zeros_like(z));
        return where(padding, full_like(z, float.NaN), filled).view(x.shape[0], x.shape[1]).MoveToOuterDisposeScope();
    }

    /// <summary>The network after standardization (training standardizes its data once, up front).</summary>
    public NetworkOutput ForwardStandardized(Tensor z)
    {
        var (perTask, weights) = encoder.forward(z);                        // [T, B, u], [B, T, W]
        if (towers is not null)
            perTask = towers.forward(perTask);                              // [T, B, t]
        var outputs = new Tensor[heads.Count];
        for (int k = 0; k < heads.Count; k++)
            outputs[k] = heads[k].forward(perTask[k]);
        return new NetworkOutput(outputs, weights);
    }
}
