using Mta.Models.Modules;
using Mta.Models.Onnx;
using Mta.Models.Options;
using Mta.Models.TorchSharpFixes;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mta.Models.Architectures.ConvolutionalAttention;

/// <summary>
/// Convolutional attention for images (MTAN-style spatial masks): a shared CNN turns the image into feature maps F
/// [C', H', W']; each task k learns a spatial mask a_k = σ(conv1×1_k(F)) [H', W'] and reads the global average of
/// a_k ⊙ F, a C'-vector. The task's weights output (<c>{task}.Attention</c>) is its mask, one value per cell of the
/// H'×W' grid, row by row: where in the image the task looks.
/// </summary>
/// <remarks>
/// The input is the standardized feature vector in ML.NET's ExtractPixels order (channel, row, column), shaped by
/// <see cref="ImageOptions.ImageShape"/>. Each block of <see cref="ImageOptions.ConvChannels"/> is conv 3×3
/// (padding 1) → batch norm → activation → max pool 2×2. One 1×1 convolution with T output channels computes all
/// the tasks' mask logits at once.
/// </remarks>
internal sealed class ConvolutionalAttentionEncoder : TaskEncoder
{
    private readonly ModuleList<Conv2d> convs = new();
    private readonly ModuleList<BatchNorm2d> norms = new();
    private readonly Conv2d masks;
    private readonly Dropout dropout;
    private readonly Activation _activation;
    private readonly int _channels, _height, _width, _outHeight, _outWidth, _taskCount;

    public ConvolutionalAttentionEncoder(int featureCount, int taskCount, NetworkOptions options) : base(nameof(ConvolutionalAttentionEncoder))
    {
        (_channels, _height, _width) = CheckShape(options, featureCount);
        _activation = options.Activation;
        _taskCount = taskCount;
        int inChannels = _channels, h = _height, w = _width;
        foreach (int outChannels in options.Image.ConvChannels)
        {
            convs.Add(nn.Conv2d(inChannels, outChannels, kernel_size: 3, padding: 1));
            norms.Add(nn.BatchNorm2d(outChannels));
            inChannels = outChannels;
            h /= 2;
            w /= 2;
        }
        if (h < 1 || w < 1)
            throw new ArgumentOutOfRangeException(nameof(options), $"Image.ImageShape [{_channels}, {_height}, {_width}] is too small for {options.Image.ConvChannels.Count} pooling blocks (each halves height and width); use fewer Image.ConvChannels.");
        (_outHeight, _outWidth, OutputWidth) = (h, w, inChannels);
        masks = nn.Conv2d(inChannels, taskCount, kernel_size: 1);
        dropout = nn.Dropout(options.ResolvedDropout());
        RegisterComponents();
    }

    public override int OutputWidth { get; }

    public override int AttentionWidth => _outHeight * _outWidth;

    public override IReadOnlyList<Parameter> LastSharedLayer => [convs[^1].weight!];

    public override IReadOnlyList<string> SourceNames(IReadOnlyList<string> tasks) =>
        Enumerable.Range(0, AttentionWidth).Select(i => $"cell ({i / _outWidth},{i % _outWidth})").ToArray();

    public override TaskEncoding forward(Tensor z)
    {
        var x = z.view(-1, _channels, _height, _width);
        for (int b = 0; b < convs.Count; b++)
            x = nn.functional.max_pool2d(Activations.Apply(norms[b].forward(convs[b].forward(x)), _activation), kernel_size: 2);
        var features = x.flatten(2);                                                  // [B, C', S]
        var weights = masks.forward(x).sigmoid().flatten(2);                          // [B, T, S]
        var pooled = weights.bmm(features.transpose(1, 2)).div(ConstantScalars.Of(AttentionWidth));      // [B, T, C']: mean over cells of a_k ⊙ F
        return new(dropout.forward(pooled.transpose(0, 1)), weights);                // [T, B, C'], [B, T, S]
    }

    public override (string PerTask, string Weights) ExportOnnx(OnnxNetworkWriter w, string z)
    {
        var x = w.Node("Reshape", [z, w.Int64s("image_shape", -1, _channels, _height, _width)], "image");
        for (int b = 0; b < convs.Count; b++)
        {
            var conv = w.Node("Conv", [x, w.Constant($"conv{b}_weight", convs[b].weight!), w.Constant($"conv{b}_bias", convs[b].bias!)], $"conv{b}",
                OnnxAttr.Ints("kernel_shape", 3, 3), OnnxAttr.Ints("pads", 1, 1, 1, 1));
            var norm = w.Node("BatchNormalization",
                [conv, w.Constant($"norm{b}_scale", norms[b].weight!), w.Constant($"norm{b}_bias", norms[b].bias!),
                 w.Constant($"norm{b}_mean", norms[b].running_mean!), w.Constant($"norm{b}_var", norms[b].running_var!)],
                $"norm{b}", OnnxAttr.Float("epsilon", (float)norms[b].eps));
            x = w.Node("MaxPool", [w.Activate(norm, _activation, $"block{b}")], $"pool{b}",
                OnnxAttr.Ints("kernel_shape", 2, 2), OnnxAttr.Ints("strides", 2, 2));
        }
        var features = w.Node("Reshape", [x, w.Int64s("features_shape", 0, OutputWidth, AttentionWidth)], "features");           // [N, C', S]
        var logits = w.Node("Conv", [x, w.Constant("mask_weight", masks.weight!), w.Constant("mask_bias", masks.bias!)], "mask_logits",
            OnnxAttr.Ints("kernel_shape", 1, 1));
        var weights = w.Node("Reshape", [w.Node("Sigmoid", [logits], "mask_maps"), w.Int64s("masks_shape", 0, _taskCount, AttentionWidth)], "masks"); // [N, T, S]
        var sums = w.Node("MatMul", [weights, w.Node("Transpose", [features], "features_t", OnnxAttr.Ints("perm", 0, 2, 1))], "masked_sums");   // [N, T, C']
        var pooled = w.Node("Div", [sums, w.Graph.Constant("cells", [(float)AttentionWidth])], "pooled");
        return (w.SwapFirstAxes(pooled, "per_task"), weights);
    }

    private static (int Channels, int Height, int Width) CheckShape(NetworkOptions options, int featureCount)
    {
        if (options.Image.ImageShape is not { Count: 3 } shape || shape.Any(s => s < 1))
            throw new ArgumentException("Architecture.ConvolutionalAttention needs Image.ImageShape = [channels, height, width], each ≥ 1.", nameof(options));
        if ((long)shape[0] * shape[1] * shape[2] != featureCount)
            throw new ArgumentException($"Image.ImageShape [{shape[0]}, {shape[1]}, {shape[2]}] has {shape[0] * shape[1] * shape[2]} values per row, " +
                $"but the feature column has {featureCount}.", nameof(options));
        return (shape[0], shape[1], shape[2]);
    }
}
