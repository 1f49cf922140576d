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

    public Tensor FeatureMean => feature_mean;

    public Tensor FeatureScale => feature_scale;

    public TaskEncoder Encoder => encoder;

    public GroupedMlp? Towers => towers;

    public IReadOnlyList<Linear> Heads => [.. heads];

    public override NetworkOutput forward(Tensor x) => ForwardStandardized(Standardize(x));

    /// <summary>(x − mean) / scale with non-finite values → 0, the training mean (as the exported graph does).</summary>
    public Tensor Standardize(Tensor x)
    {
        using var z = x.sub(feature_mean).div_(feature_scale);
        using var finite = z.isfinite();
        using var zero = zeros_like(z);
        return where(finite, z, zero);
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
