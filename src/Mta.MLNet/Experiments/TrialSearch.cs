using Mta.Models.Options;

namespace Mta.MLNet.Experiments;

/// <summary>Proposes configurations for the chosen tuner; the same seed gives the same sequence.</summary>
internal sealed class TrialSearch(MultiTaskExperimentOptions options, Random random)
{
    /// <summary>
    /// Configurations in the order to try them. Successive halving reads the finished trials (through
    /// <paramref name="finished"/>) to pick each rung's survivors.
    /// </summary>
    public IEnumerable<(NetworkOptions Network, TrainingOptions Training)> Proposals(Func<IReadOnlyList<TrialResult>> finished)
    {
        int fullEpochs = options.BaseTraining.Epochs;
        // Trial 1: the defaults with the full budget (the baseline).
        yield return (options.BaseNetwork, options.BaseTraining);
        if (options.Tuner == ExperimentTuner.RandomSearch)
        {
            while (true)
                yield return Sample(fullEpochs);
        }

        int eta = options.ReductionFactor;
        while (true)
        {
            // One bracket: η² configurations at full/η² epochs, then the best 1/η at η times the epochs, ...
            int rungEpochs = Math.Max(1, fullEpochs / (eta * eta));
            var configs = Enumerable.Range(0, eta * eta).Select(_ => Sample(rungEpochs)).ToList();
            while (configs.Count > 0)
            {
                int before = finished().Count;
                foreach (var config in configs)
                    yield return config;
                var rung = finished().Skip(before).Where(t => t.Succeeded).OrderByDescending(t => t.Score).ToList();
                if (rungEpochs >= fullEpochs || rung.Count <= 1)
                    break;
                rungEpochs = Math.Min(fullEpochs, rungEpochs * eta);
                int keep = Math.Max(1, rung.Count / eta);
                configs = rung.Take(keep).Select(t => (t.Network, t.Training with { Epochs = rungEpochs })).ToList();
            }
        }
    }

    private (NetworkOptions, TrainingOptions) Sample(int epochs)
    {
        var (network, training) = options.SearchSpace.Sample(random, options.BaseNetwork, options.BaseTraining);
        return (network, training with { Epochs = epochs });
    }
}
