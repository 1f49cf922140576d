using Mta.Models.Options;
using Mta.Models.Weighting;

namespace Mta.MLNet.Experiments;

/// <summary>
/// The options an experiment searches, each a list of choices or a range. Narrow any of them (or give one choice
/// to fix an option); options not listed here keep their defaults from <see cref="MultiTaskExperimentOptions.BaseNetwork"/>
/// and <see cref="MultiTaskExperimentOptions.BaseTraining"/>.
/// </summary>
public sealed record MultiTaskSearchSpace
{
    /// <summary>Architectures tried. Default: expert attention, MMoE, local attention, CGC, PLE, shared-bottom, DSelect-k, cross-stitch.</summary>
    public IReadOnlyList<Architecture> Architectures { get; init; } =
        [Architecture.ExpertAttention, Architecture.MixtureOfExperts, Architecture.LocalAttention, Architecture.Cgc, Architecture.Ple, Architecture.SharedBottom,
         Architecture.DSelectK, Architecture.CrossStitch];

    /// <summary>Attention functions (expert attention only). Default softmax and sigmoid.</summary>
    public IReadOnlyList<AttentionFunction> AttentionFunctions { get; init; } = [AttentionFunction.Softmax, AttentionFunction.Sigmoid];

    /// <summary>Number of shared experts, inclusive range. Default 2–8.</summary>
    public (int Min, int Max) ExpertCount { get; init; } = (2, 8);

    /// <summary>Widths of an expert layer. Default 16, 32, 64, 128.</summary>
    public IReadOnlyList<int> ExpertWidths { get; init; } = [16, 32, 64, 128];

    /// <summary>Expert depth (layers), inclusive range; each deeper layer halves the width. Default 1–2.</summary>
    public (int Min, int Max) ExpertDepth { get; init; } = (1, 2);

    /// <summary>Tower widths (0 = no tower). Default 0, 8, 16, 32.</summary>
    public IReadOnlyList<int> TowerWidths { get; init; } = [0, 8, 16, 32];

    /// <summary>Dropout, uniform in the range. Default 0–0.3.</summary>
    public (double Min, double Max) Dropout { get; init; } = (0, 0.3);

    /// <summary>Learning rate, log-uniform in the range. Default 1e-4–1e-2.</summary>
    public (double Min, double Max) LearningRate { get; init; } = (1e-4, 1e-2);

    /// <summary>Weight decay, log-uniform in the range. Default 1e-6–1e-3.</summary>
    public (double Min, double Max) WeightDecay { get; init; } = (1e-6, 1e-3);

    /// <summary>Batch sizes. Default 64, 128, 256, 512.</summary>
    public IReadOnlyList<int> BatchSizes { get; init; } = [64, 128, 256, 512];

    /// <summary>
    /// Loss weightings. Default Fixed, Uncertainty, DynamicWeightAverage and GradNorm; any <see cref="LossWeightingKind"/>
    /// may be listed (the gradient methods cost about one backward pass per task, so they leave fewer trials in a budget).
    /// </summary>
    public IReadOnlyList<LossWeightingKind> LossWeightings { get; init; } =
        [LossWeightingKind.Fixed, LossWeightingKind.Uncertainty, LossWeightingKind.DynamicWeightAverage, LossWeightingKind.GradNorm];

    /// <summary>
    /// Quantile bins per feature (<see cref="NetworkOptions.NumericBins"/>; used where the input is encoded piecewise-linearly).
    /// Default 8, 16, 32.
    /// </summary>
    public IReadOnlyList<int> NumericBins { get; init; } = [8, 16, 32];

    /// <summary>
    /// Ensemble members (<see cref="NetworkOptions.EnsembleMembers"/>; for table architectures, others keep 1; null: sized
    /// to the rows). Default the sized rule only: a trial with k members costs about k times as long.
    /// </summary>
    public IReadOnlyList<int?> EnsembleMembers { get; init; } = [null];

    /// <summary>Learning-rate schedules (<see cref="TrainingOptions.LearningRateSchedule"/>). Default constant only.</summary>
    public IReadOnlyList<LearningRateSchedule> LearningRateSchedules { get; init; } = [LearningRateSchedule.Constant];

    /// <summary>Adam's β₂ (<see cref="TrainingOptions.AdamBeta2"/>). Default: the training default only.</summary>
    public IReadOnlyList<double> AdamBeta2s { get; init; } = [new TrainingOptions().AdamBeta2];

    /// <summary>Label smoothing of the classification tasks (<see cref="TrainingOptions.LabelSmoothing"/>). Default 0 only.</summary>
    public IReadOnlyList<double> LabelSmoothings { get; init; } = [0];

    /// <summary>Whether each task keeps its own best epoch's weights (<see cref="TrainingOptions.PerTaskBestEpoch"/>). Default false only.</summary>
    public IReadOnlyList<bool> PerTaskBestEpochs { get; init; } = [false];

    /// <summary>Whether the classification tasks' scores are temperature-scaled (<see cref="TrainingOptions.TemperatureScaling"/>). Default: the training default only.</summary>
    public IReadOnlyList<bool> TemperatureScalings { get; init; } = [new TrainingOptions().TemperatureScaling];

    /// <summary>Throws naming the first empty or inverted choice.</summary>
    internal void Validate()
    {
        void Check(bool ok, string name)
        {
            if (!ok)
                throw new ArgumentException($"Search space option {name} is empty or its range is inverted.", name);
        }
        Check(Architectures is { Count: > 0 }, nameof(Architectures));
        Check(AttentionFunctions is { Count: > 0 }, nameof(AttentionFunctions));
        Check(ExpertCount.Min >= 1 && ExpertCount.Min <= ExpertCount.Max, nameof(ExpertCount));
        Check(ExpertWidths is { Count: > 0 } && ExpertWidths.All(w => w >= 2), nameof(ExpertWidths));
        Check(ExpertDepth.Min >= 1 && ExpertDepth.Min <= ExpertDepth.Max, nameof(ExpertDepth));
        Check(TowerWidths is { Count: > 0 } && TowerWidths.All(w => w >= 0), nameof(TowerWidths));
        Check(Dropout.Min >= 0 && Dropout.Min <= Dropout.Max && Dropout.Max < 1, nameof(Dropout));
        Check(LearningRate.Min > 0 && LearningRate.Min <= LearningRate.Max, nameof(LearningRate));
        Check(WeightDecay.Min > 0 && WeightDecay.Min <= WeightDecay.Max, nameof(WeightDecay));
        Check(BatchSizes is { Count: > 0 } && BatchSizes.All(b => b >= 1), nameof(BatchSizes));
        Check(LossWeightings is { Count: > 0 }, nameof(LossWeightings));
        Check(NumericBins is { Count: > 0 } && NumericBins.All(b => b >= 2), nameof(NumericBins));
        Check(EnsembleMembers is { Count: > 0 } && EnsembleMembers.All(k => k is null or >= 1), nameof(EnsembleMembers));
        Check(LearningRateSchedules is { Count: > 0 } && LearningRateSchedules.All(Enum.IsDefined), nameof(LearningRateSchedules));
        Check(AdamBeta2s is { Count: > 0 } && AdamBeta2s.All(b => b > 0 && b < 1), nameof(AdamBeta2s));
        Check(LabelSmoothings is { Count: > 0 } && LabelSmoothings.All(e => e >= 0 && e < 1), nameof(LabelSmoothings));
        Check(PerTaskBestEpochs is { Count: > 0 }, nameof(PerTaskBestEpochs));
        Check(TemperatureScalings is { Count: > 0 }, nameof(TemperatureScalings));
    }

    /// <summary>One configuration drawn with <paramref name="random"/> (the same seed gives the same sequence).</summary>
    internal (NetworkOptions Network, TrainingOptions Training) Sample(Random random, NetworkOptions baseNetwork, TrainingOptions baseTraining)
    {
        T Pick<T>(IReadOnlyList<T> choices) => choices[random.Next(choices.Count)];
        double LogUniform((double Min, double Max) r) => Math.Exp(Math.Log(r.Min) + random.NextDouble() * (Math.Log(r.Max) - Math.Log(r.Min)));
        int width = Pick(ExpertWidths);
        int depth = random.Next(ExpertDepth.Min, ExpertDepth.Max + 1);
        int tower = Pick(TowerWidths);
        var network = baseNetwork with
        {
            Architecture = Pick(Architectures),
            AttentionFunction = Pick(AttentionFunctions),
            ExpertCount = random.Next(ExpertCount.Min, ExpertCount.Max + 1),
            ExpertHiddenSizes = Enumerable.Range(0, depth).Select(l => Math.Max(2, width >> (depth - 1 - l))).Reverse().ToArray(),
            TowerHiddenSizes = tower > 0 ? [tower] : [],
            Dropout = (float)(Dropout.Min + random.NextDouble() * (Dropout.Max - Dropout.Min)),
        };
        var training = baseTraining with
        {
            LearningRate = LogUniform(LearningRate),
            WeightDecay = LogUniform(WeightDecay),
            BatchSize = Pick(BatchSizes),
            LossWeighting = Pick(LossWeightings),
        };
        // Drawn last, so the draws above are the ones earlier versions made for the same seed.
        network = network with { NumericBins = Pick(NumericBins) };
        // Drawn only when there is a choice, so a search space with the defaults draws what earlier versions drew.
        var defaults = new TrainingOptions();
        if (Searched(EnsembleMembers, new NetworkOptions().EnsembleMembers))
        {
            int? members = Pick(EnsembleMembers);
            network = network with { EnsembleMembers = network.ReadsTableRows ? members : 1 };
        }
        if (Searched(LearningRateSchedules, defaults.LearningRateSchedule))
            training = training with { LearningRateSchedule = Pick(LearningRateSchedules) };
        if (Searched(AdamBeta2s, defaults.AdamBeta2))
            training = training with { AdamBeta2 = Pick(AdamBeta2s) };
        if (Searched(LabelSmoothings, defaults.LabelSmoothing))
            training = training with { LabelSmoothing = Pick(LabelSmoothings) };
        if (Searched(PerTaskBestEpochs, defaults.PerTaskBestEpoch))
            training = training with { PerTaskBestEpoch = Pick(PerTaskBestEpochs) };
        if (Searched(TemperatureScalings, defaults.TemperatureScaling))
            training = training with { TemperatureScaling = Pick(TemperatureScalings) };
        // DSelect-k needs no more selectors than the experts drawn; other architectures ignore DSelectK.SelectedExperts.
        if (network.Architecture == Architecture.DSelectK)
            network = network with { DSelectK = network.DSelectK with { SelectedExperts = Math.Min(network.DSelectK.SelectedExperts, network.ExpertCount) } };
        return (network, training);
    }

    /// <summary>Whether a list offers anything but the option's default (then a draw is made for it).</summary>
    private static bool Searched<T>(IReadOnlyList<T> choices, T defaultValue) =>
        choices.Count > 1 || !EqualityComparer<T>.Default.Equals(choices[0], defaultValue);
}
