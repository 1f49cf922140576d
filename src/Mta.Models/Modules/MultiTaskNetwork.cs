using Mta.Models.Architectures;
using Mta.Models.Data;
using Mta.Models.Options;
using Mta.Models.Tasks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mta.Models.Modules;

/// <summary>
/// standardize(x) → shared experts H [B, E, u] → per-task mix (attention / gates / shared) [B, T, u]
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
    private readonly GroupedMlp experts;
    private readonly TaskMixer mixer;
    private readonly GroupedMlp? towers;
    private readonly ModuleList<Linear> heads = new();

    public MultiTaskNetwork(IReadOnlyList<TaskSpec> tasks, int featureCount, Standardization inputScaling, NetworkOptions options)
        : base(nameof(MultiTaskNetwork))
    {
        Tasks = tasks;
        Options = options;
        feature_mean = tensor(inputScaling.Mean);
        feature_scale = tensor(inputScaling.Scale);
        int expertCount = options.EffectiveExpertCount;
        experts = new GroupedMlp(nameof(experts), expertCount, featureCount, options.ExpertHiddenSizes, options.Activation, options.Dropout);
        int expertWidth = experts.OutputWidth;
        mixer = options.Architecture switch
        {
            Architecture.ExpertAttention => new ExpertAttentionMixer(expertWidth, tasks.Count, options.AttentionFunction),
            Architecture.MixtureOfExperts => new GatedMixer(featureCount, tasks.Count, expertCount),
            Architecture.SharedBottom => new SharedBottomMixer(tasks.Count),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Architecture, "Unknown architecture."),
        };
        int headInput = expertWidth;
        if (options.TowerHiddenSizes.Count > 0)
        {
            towers = new GroupedMlp(nameof(towers), tasks.Count, expertWidth, options.TowerHiddenSizes, options.Activation, options.Dropout);
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

    public GroupedMlp Experts => experts;

    public TaskMixer Mixer => mixer;

    public GroupedMlp? Towers => towers;

    public IReadOnlyList<Linear> Heads => [.. heads];

    public override NetworkOutput forward(Tensor x)
    {
        var z = x.sub(feature_mean).div_(feature_scale);
        z = where(z.isfinite(), z, zeros_like(z));
        var h = experts.forward(z.unsqueeze(0)).transpose(0, 1);           // [B, E, u]
        var (mixed, weights) = mixer.forward(z, h);                         // [B, T, u], [B, T, E]
        var perTask = mixed.transpose(0, 1);                                // [T, B, u]
        if (towers is not null)
            perTask = towers.forward(perTask);                              // [T, B, t]
        var outputs = new Tensor[heads.Count];
        for (int k = 0; k < heads.Count; k++)
            outputs[k] = heads[k].forward(perTask[k]);
        return new NetworkOutput(outputs, weights);
    }
}
