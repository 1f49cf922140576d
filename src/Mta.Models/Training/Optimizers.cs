using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mta.Models.Training;

/// <summary>
/// The optimizers of one run, stepped together: the network's flat Adam, and a plain Adam for a loss weighting's own
/// parameters (uncertainty's log variances), which take no weight decay and no gradient clipping.
/// </summary>
internal sealed class Optimizers(FlatAdam network, optim.Optimizer? weighting)
{
    public FlatAdam Network { get; } = network;

    public void ZeroGrad()
    {
        Network.ZeroGrad();
        weighting?.zero_grad();
    }

    public void Step()
    {
        Network.Step();
        weighting?.step();
    }

    public void Save(BinaryWriter writer)
    {
        Network.Save(writer);
        if (weighting is not null)
            ((OptimizerHelper)weighting).save_state_dict(writer);
    }

    public void Load(BinaryReader reader)
    {
        Network.Load(reader);
        if (weighting is not null)
            ((OptimizerHelper)weighting).load_state_dict(reader);
    }
}
