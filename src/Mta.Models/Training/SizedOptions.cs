using Mta.Models.Data;
using Mta.Models.Options;

namespace Mta.Models.Training;

/// <summary>
/// The first training step: the defaults that depend on the data's size (dropout, ensemble, batch size, input encoding) become
/// values, so the network, the checkpoint fingerprint and the trained model's saved options all carry what was used.
/// </summary>
internal static class SizedOptions
{
    /// <summary>
    /// The options as trained on <paramref name="trainingRows"/> rows, and <paramref name="bins"/> (fitted for the
    /// options' encoding), null when the sized encoding does not use them.
    /// </summary>
    public static (NetworkOptions Network, TrainingOptions Training, PiecewiseLinearBins? Bins) Resolve(
        NetworkOptions network, TrainingOptions training, long trainingRows, PiecewiseLinearBins? bins)
    {
        network = network with { Dropout = network.ResolvedDropout(trainingRows), EnsembleMembers = network.ResolvedEnsembleMembers(trainingRows) };
        training = training with { BatchSize = training.BatchSizeFor(trainingRows) };
        if (bins is not null && network.EncodingFor(bins.Width, trainingRows) is var encoding && encoding != network.NumericEncoding)
        {
            network = network with { NumericEncoding = encoding };
            bins = null;
        }
        return (network, training, bins);
    }
}
