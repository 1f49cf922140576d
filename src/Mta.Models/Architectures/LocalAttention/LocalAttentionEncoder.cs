using Mta.Models.Modules;
using Mta.Models.Onnx;
using Mta.Models.Options;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mta.Models.Architectures.LocalAttention;

/// <summary>
/// Local (feature-wise) attention, MTAN-style (Liu et al., CVPR 2019): a shared trunk computes s; each task
/// learns a soft mask over the trunk's units, a_k = σ(MLP_k(s)), and reads a_k ⊙ s. Where global attention
/// chooses among whole experts, this chooses among features of one shared representation.
/// </summary>
/// <remarks>MLP_k is one hidden layer of the trunk's width (the activation of the network) and a linear layer.
/// The task's weights output (<c>{task}.Attention</c>) is its mask, one value in (0, 1) per trunk unit.</remarks>
internal sealed class LocalAttentionEncoder : TaskEncoder
{
    private readonly GroupedMlp trunk;
    private readonly GroupedMlp mask_hidden;
    private readonly GroupedLinear mask_logits;

    public LocalAttentionEncoder(int featureCount, int taskCount, NetworkOptions options) : base(nameof(LocalAttentionEncoder))
    {
        trunk = new GroupedMlp(nameof(trunk), 1, featureCount, options.ExpertHiddenSizes, options.Activation, options.ResolvedDropout());
        int width = trunk.OutputWidth;
        // No dropout inside the masks: a mask that flickers between batches would blur which features a task uses.
        mask_hidden = new GroupedMlp(nameof(mask_hidden), taskCount, width, [width], options.Activation, dropout: 0);
        mask_logits = new GroupedLinear(nameof(mask_logits), taskCount, width, width);
        RegisterComponents();
    }

    public override int OutputWidth => trunk.OutputWidth;

    public override int AttentionWidth => trunk.OutputWidth;

    public override IReadOnlyList<Parameter> LastSharedLayer => [trunk.LastWeight];

    public override IReadOnlyList<string> SourceNames(IReadOnlyList<string> tasks) =>
        Enumerable.Range(1, AttentionWidth).Select(i => $"unit {i}").ToArray();

    public override TaskEncoding forward(Tensor z)
    {
        var s = trunk.forward(z.unsqueeze(0));                                   // [1, B, u]
        var masks = mask_logits.forward(mask_hidden.forward(s)).sigmoid();       // [T, B, u]
        return new(masks.mul(s), masks.transpose(0, 1));                          // [T, B, u], [B, T, u]
    }

    public override (string PerTask, string Weights) ExportOnnx(OnnxNetworkWriter w, string z)
    {
        var s = trunk.ExportOnnx(w, w.AsSharedGroup(z), "trunk");
        var hidden = mask_hidden.ExportOnnx(w, s, "mask_hidden");
        var masks = w.Node("Sigmoid", [mask_logits.ExportOnnx(w, hidden, "mask_logits")], "masks");
        return (w.Node("Mul", [masks, s], "per_task"), w.SwapFirstAxes(masks, "task_masks"));
    }
}
