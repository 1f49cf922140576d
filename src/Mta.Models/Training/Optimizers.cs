using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mta.Models.Training;

/// <summary>
/// The optimizers of one run, stepped together: the network's flat Adam, a plain Adam for a loss weighting's own
/// parameters (uncertainty's log variances), which take no weight decay and no gradient clipping, and the average of
/// the network's weights that follows every step.
/// </summary>
internal sealed class Optimizers(FlatAdam network, optim.Optimizer? weighting, WeightAverage? average)
{
    public FlatAdam Network { get; } = network;

    /// <summary>The network's averaged weights; null when averaging is off.</summary>
    public WeightAverage? Average { get; } = average;

    public void ZeroGrad()
    {
        Network.ZeroGrad();
        weighting?.zero_grad();
    }

    public void Step()
    {
        Network.Step();
        weighting?.step();
        Average?.Update();
    }

    public void Save(BinaryWriter writer)
    {
        Network.Save(writer);
        if (weighting is not null)
            ((OptimizerHelper)weighting).save_state_dict(writer);
        Average?.Save(writer);
    }

    public void Load(BinaryReader reader)
    {
        Network.Load(reader);
        if (weighting is not null)
            ((OptimizerHelper)weighting).load_state_dict(reader);
        Average?.Load(reader);
    }
}
