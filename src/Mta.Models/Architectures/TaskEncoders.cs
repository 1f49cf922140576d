using Mta.Models.Architectures.ConvolutionalAttention;
using Mta.Models.Architectures.CrossStitch;
using Mta.Models.Architectures.DSelectK;
using Mta.Models.Architectures.ExpertAttention;
using Mta.Models.Architectures.LocalAttention;
using Mta.Models.Architectures.MixtureOfExperts;
using Mta.Models.Architectures.Ple;
using Mta.Models.Architectures.SetAttention;
using Mta.Models.Architectures.SharedBottom;
using Mta.Models.Options;

namespace Mta.Models.Architectures;

/// <summary>Creates the <see cref="TaskEncoder"/> for <see cref="NetworkOptions.Architecture"/>.</summary>
internal static class TaskEncoders
{
    public static TaskEncoder Create(int featureCount, int taskCount, NetworkOptions options) => options.Architecture switch
    {
        Architecture.ExpertAttention => new ExpertAttentionEncoder(featureCount, taskCount, options),
        Architecture.MixtureOfExperts => new MixtureOfExpertsEncoder(featureCount, taskCount, options),
        Architecture.SharedBottom => new SharedBottomEncoder(featureCount, taskCount, options),
        Architecture.LocalAttention => new LocalAttentionEncoder(featureCount, taskCount, options),
        Architecture.Cgc => new PleEncoder(featureCount, taskCount, levelCount: 1, options),
        Architecture.Ple => new PleEncoder(featureCount, taskCount, options.Ple.ExtractionLevels, options),
        Architecture.ConvolutionalAttention => new ConvolutionalAttentionEncoder(featureCount, taskCount, options),
        Architecture.SetAttention => new SetAttentionEncoder(featureCount, taskCount, options),
        Architecture.DSelectK => new DSelectKEncoder(featureCount, taskCount, options),
        Architecture.CrossStitch => new CrossStitchEncoder(featureCount, taskCount, options),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.Architecture, "Unknown architecture."),
    };
}
