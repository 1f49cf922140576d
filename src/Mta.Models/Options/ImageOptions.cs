namespace Mta.Models.Options;

/// <summary>Options of <see cref="Architecture.ConvolutionalAttention"/> alone (<see cref="NetworkOptions.Image"/>).</summary>
public sealed record ImageOptions
{
    /// <summary>
    /// How the feature vector is an image, [channels, height, width], in ML.NET ExtractPixels order (channel, row,
    /// column). Required for <see cref="Architecture.ConvolutionalAttention"/>.
    /// </summary>
    public IReadOnlyList<int>? ImageShape { get; init; }

    /// <summary>Output channels of each convolution block. Default [16, 32].</summary>
    public IReadOnlyList<int> ConvChannels { get; init; } = [16, 32];

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the option (Image.…) when a value is unusable.</summary>
    internal void Validate(Architecture architecture)
    {
        if (ConvChannels is null || ConvChannels.Count == 0 || ConvChannels.Any(c => c < 1))
            throw OptionError.OutOfRange("Image.ConvChannels", null, "Image.ConvChannels needs at least one block, each with ≥ 1 channel.");
        if (architecture == Architecture.ConvolutionalAttention && (ImageShape is not { Count: 3 } || ImageShape.Any(s => s < 1)))
            throw OptionError.OutOfRange("Image.ImageShape", null, "Architecture.ConvolutionalAttention needs Image.ImageShape = [channels, height, width], each ≥ 1.");
    }
}
