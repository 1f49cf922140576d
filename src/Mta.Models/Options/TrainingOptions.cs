using Mta.Models.Weighting;

namespace Mta.Models.Options;

/// <summary>How the network is trained.</summary>
public sealed record TrainingOptions
{
    /// <summary>Optimizer. Default Adam.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;

    /// <summary>
    /// Learning rate (&gt; 0). Default 1e-3 (Adam's usual rate): with 3e-3 the networks overfit small tables within a
    /// few epochs (docs/notes/quality.md).
    /// </summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Weight decay (L2 for Adam, decoupled for AdamW), ≥ 0. Default 1e-5.</summary>
    public double WeightDecay { get; init; } = 1e-5;

    /// <summary>Maximum number of passes over the training rows. Default 60.</summary>
    public int Epochs { get; init; } = 60;

    /// <summary>
    /// Rows per gradient step, ≥ 1. Default null: sized to the data (<see cref="BatchSizeFor"/>), 128 below 32,768
    /// training rows, doubling with every doubling of the rows above, up to 1,024. Small tables need many small
    /// steps; a large one keeps its accuracy with fewer, larger steps, which give each step more work to spread over
    /// the cores and keep an epoch of millions of rows to a few thousand steps (docs/notes/quality.md). The trained
    /// model's options hold the value used.
    /// </summary>
    public int? BatchSize { get; init; }

    /// <summary>The batch size of small data, the row count it holds up to, and the largest sized batch.</summary>
    private const int SmallDataBatch = 128;
    private const long SmallDataBatchRows = 32_768;
    private const int LargestSizedBatch = 1_024;

    /// <summary>
    /// The batch size training uses on <paramref name="trainingRows"/> rows: <see cref="BatchSize"/> when set,
    /// otherwise 128, doubled for every doubling of the rows from 32,768 on (256 from 32,768 rows, 512 from 65,536),
    /// at most 1,024.
    /// </summary>
    public int BatchSizeFor(long trainingRows)
    {
        if (BatchSize is int set)
            return set;
        int batch = SmallDataBatch;
        for (long limit = SmallDataBatchRows; trainingRows >= limit && batch < LargestSizedBatch; limit *= 2)
            batch *= 2;
        return batch;
    }

    /// <summary>
    /// The fewest optimizer steps one epoch takes, ≥ 1: an epoch over fewer rows than this many batches passes over
    /// the rows again (reshuffled) until it has taken them. Epochs, early-stopping patience and the plateau schedule
    /// count epochs, so without a floor a table of a few hundred rows (two or three batches) would stop after a few
    /// dozen steps, long before it has learned; with it the schedule means at least as many steps on any table, while a
    /// table with enough rows for this many batches trains exactly as with 1 (plain passes). Default 32.
    /// </summary>
    public int MinimumEpochSteps { get; init; } = 32;

    /// <summary>Passes over <paramref name="trainingRows"/> rows that make one epoch of at least <see cref="MinimumEpochSteps"/> steps.</summary>
    public int PassesPerEpoch(long trainingRows)
    {
        long stepsPerPass = StepsPerPass(trainingRows);
        return (int)Math.Max(1, (MinimumEpochSteps + stepsPerPass - 1) / stepsPerPass);
    }

    /// <summary>The optimizer steps one epoch over <paramref name="trainingRows"/> rows takes (<see cref="PassesPerEpoch"/> passes).</summary>
    public long StepsPerEpoch(long trainingRows) => PassesPerEpoch(trainingRows) * StepsPerPass(trainingRows);

    private long StepsPerPass(long trainingRows)
    {
        int batch = BatchSizeFor(trainingRows);
        return Math.Max(1, (trainingRows + batch - 1) / batch);
    }

    /// <summary>
    /// Fraction of the training rows held out for early stopping when no validation set is given, in [0, 0.5].
    /// 0 disables the hold-out (and with no validation set, early stopping). Default 0.1.
    /// </summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>Epochs without a better validation loss before stopping; 0 never stops early. Default 8.</summary>
    public int EarlyStoppingPatience { get; init; } = 8;

    /// <summary>
    /// Learning-rate schedule on a plateau: the learning rate is multiplied by this factor, in (0, 1], each time
    /// <see cref="LearningRatePatience"/> more epochs pass without a better validation loss; 1 (default) keeps it
    /// constant. Needs validation data (as early stopping). Off by default: at the default learning rate it did not
    /// move any data set's result beyond the spread between seeds (measured in docs/notes/quality.md, model
    /// "Attention MT (plateau schedule)").
    /// </summary>
    public double LearningRateDecay { get; init; } = 1.0;

    /// <summary>
    /// How the learning rate moves over the run's planned steps (<see cref="Epochs"/> × the steps of one epoch), step by
    /// step. Default <see cref="Options.LearningRateSchedule.Constant"/>.
    /// </summary>
    public LearningRateSchedule LearningRateSchedule { get; init; } = LearningRateSchedule.Constant;

    /// <summary>
    /// Adam's (and AdamW's) second-moment decay β₂, in (0, 1). Default: Kingma and Ba's value; a smaller one (RealMLP
    /// uses a smaller one) follows changes in the gradient scale faster.
    /// </summary>
    public double AdamBeta2 { get; init; } = 0.999;

    /// <summary>Epochs without a better validation loss before each <see cref="LearningRateDecay"/> step, ≥ 1. Default 3.</summary>
    public int LearningRatePatience { get; init; } = 3;

    /// <summary>
    /// Each task keeps its own weights (its head and its slice of the towers) from the epoch of its own best validation
    /// loss, on top of the shared weights of the best epoch overall, so a task that overfits early is not carried past
    /// its best by the others; a task whose own weights score worse on validation with those shared weights keeps the
    /// overall best epoch's. Needs validation data. Default false (docs/notes/quality.md).
    /// </summary>
    public bool PerTaskBestEpoch { get; init; }

    /// <summary>
    /// After training, each classification task's logits are divided by one temperature fitted on the validation rows
    /// (temperature scaling, Guo et al. 2017) and folded into its output layer: the probabilities move closer to the
    /// frequencies seen. For one network the predicted classes and the rankings (AUC) stay as they are; an ensemble
    /// averages its members' probabilities after the temperature, so those can move slightly. Needs validation data.
    /// Default false (docs/notes/quality.md).
    /// </summary>
    public bool TemperatureScaling { get; init; }

    /// <summary>
    /// Label smoothing of the classification tasks' training loss, in [0, 1): each target becomes (1 − ε) on the label
    /// plus ε spread evenly over the classes (binary: t(1 − ε) + ε/2). Validation and early stopping judge the plain
    /// loss. Default 0 (docs/notes/quality.md).
    /// </summary>
    public double LabelSmoothing { get; init; }

    /// <summary>After early stopping, go back to the weights of the best validation epoch. Default true.</summary>
    public bool RestoreBestWeights { get; init; } = true;

    /// <summary>
    /// Averaging of the weights (an exponential moving average, i.e. Polyak averaging): after every optimizer step,
    /// average ← d·average + (1 − d)·weights with d = min(this value, (1 + t) / (10 + t)) after t steps, so a short run
    /// averages over its last tenth or so and a long one over about 1/(1 − d) steps. Validation, early stopping and the
    /// model returned use the average; in [0, 1), 0 turns it off. Default 0.99 (docs/notes/quality.md).
    /// </summary>
    public double WeightAverageDecay { get; init; } = 0.99;

    /// <summary>Clip the global gradient norm to this value; 0 turns clipping off. Default 5.</summary>
    public double GradientClipNorm { get; init; } = 5.0;

    /// <summary>How task losses are combined. Default fixed weights (each task's LossWeight).</summary>
    public LossWeightingKind LossWeighting { get; init; } = LossWeightingKind.Fixed;

    /// <summary>
    /// Folder for training checkpoints; null (default) writes none. With a folder, the trainer saves its complete
    /// state there every <see cref="CheckpointEveryEpochs"/> epochs, and a later call with the same data, tasks and
    /// options continues from it — after a crash or kill it reaches the same model as an uninterrupted run. A
    /// checkpoint from a different run is an error, never silently reused. <see cref="Epochs"/> may be raised to
    /// train a finished run further.
    /// </summary>
    public string? CheckpointDirectory { get; init; }

    /// <summary>Epochs between checkpoints (the last epoch is always saved). Default 1.</summary>
    public int CheckpointEveryEpochs { get; init; } = 1;

    /// <summary>
    /// Streaming training only: rows read, turned into tensors and shuffled together at a time (memory holds one such
    /// chunk). Larger chunks shuffle better. Default 65,536.
    /// </summary>
    public int StreamingChunkRows { get; init; } = 65_536;

    /// <summary>
    /// Streaming training only: at most this many rows are held out (by a seeded hash of the row index, with
    /// probability <see cref="ValidationFraction"/>) and kept in memory for early stopping. Default 20,000.
    /// </summary>
    public int StreamingValidationRows { get; init; } = 20_000;

    /// <summary>
    /// Seed for initialization, shuffling, dropout and the validation split. Same seed, same model. When null (the
    /// default), Mta.MLNet takes the MLContext's seed (<c>new MLContext(seed: 7)</c>), and <see cref="DefaultSeed"/>
    /// applies where there is none.
    /// </summary>
    public int? Seed { get; init; }

    /// <summary>The seed when neither <see cref="Seed"/> nor a context gives one: 42.</summary>
    public const int DefaultSeed = 42;

    /// <summary>These options with <see cref="Seed"/> set: its own value, else <see cref="DefaultSeed"/>.</summary>
    public TrainingOptions WithSeedResolved() => Seed is null ? this with { Seed = DefaultSeed } : this;

    /// <summary>
    /// How a multiclass task's scores and predicted class relate to the class frequencies. <see cref="MulticlassDecision.MostLikely"/>
    /// (default): the probabilities as learned, the most probable class (maximizes accuracy and log-likelihood).
    /// <see cref="MulticlassDecision.Balanced"/>: each probability divided by the class's share of the training labels and
    /// renormalized (logit adjustment) — the probabilities under equal class priors — which raises macro-accuracy (mean
    /// per-class recall) on imbalanced classes; ML.NET's evaluator then measures that decision. Training is the same.
    /// </summary>
    public MulticlassDecision MulticlassDecision { get; init; } = MulticlassDecision.MostLikely;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the option when a value is unusable.</summary>
    public void Validate()
    {
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "LearningRate must be a finite number > 0.");
        if (!(WeightDecay >= 0) || double.IsInfinity(WeightDecay))
            throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "WeightDecay must be a finite number ≥ 0.");
        if (Epochs < 1)
            throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Epochs must be at least 1.");
        if (BatchSize is < 1)
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be at least 1 (or null: sized to the data).");
        if (MinimumEpochSteps < 1)
            throw new ArgumentOutOfRangeException(nameof(MinimumEpochSteps), MinimumEpochSteps, "MinimumEpochSteps must be at least 1 (1: an epoch is one pass over the rows).");
        if (!(ValidationFraction >= 0 && ValidationFraction <= 0.5))
            throw new ArgumentOutOfRangeException(nameof(ValidationFraction), ValidationFraction, "ValidationFraction must be in [0, 0.5].");
        if (EarlyStoppingPatience < 0)
            throw new ArgumentOutOfRangeException(nameof(EarlyStoppingPatience), EarlyStoppingPatience, "EarlyStoppingPatience must be ≥ 0.");
        if (!(LearningRateDecay > 0 && LearningRateDecay <= 1))
            throw new ArgumentOutOfRangeException(nameof(LearningRateDecay), LearningRateDecay, "LearningRateDecay must be in (0, 1] (1 keeps the learning rate constant).");
        if (!Enum.IsDefined(LearningRateSchedule))
            throw new ArgumentOutOfRangeException(nameof(LearningRateSchedule), LearningRateSchedule, "Unknown learning-rate schedule.");
        if (!(AdamBeta2 > 0 && AdamBeta2 < 1))
            throw new ArgumentOutOfRangeException(nameof(AdamBeta2), AdamBeta2, "AdamBeta2 must be in (0, 1).");
        if (!(LabelSmoothing >= 0 && LabelSmoothing < 1))
            throw new ArgumentOutOfRangeException(nameof(LabelSmoothing), LabelSmoothing, "LabelSmoothing must be in [0, 1).");
        if (LearningRatePatience < 1)
            throw new ArgumentOutOfRangeException(nameof(LearningRatePatience), LearningRatePatience, "LearningRatePatience must be at least 1.");
        if (!(WeightAverageDecay >= 0 && WeightAverageDecay < 1))
            throw new ArgumentOutOfRangeException(nameof(WeightAverageDecay), WeightAverageDecay, "WeightAverageDecay must be in [0, 1) (0 turns weight averaging off).");
        if (!(GradientClipNorm >= 0) || double.IsInfinity(GradientClipNorm))
            throw new ArgumentOutOfRangeException(nameof(GradientClipNorm), GradientClipNorm, "GradientClipNorm must be a finite number ≥ 0.");
        if (StreamingChunkRows < 1)
            throw new ArgumentOutOfRangeException(nameof(StreamingChunkRows), StreamingChunkRows, "StreamingChunkRows must be at least 1.");
        if (StreamingValidationRows < 0)
            throw new ArgumentOutOfRangeException(nameof(StreamingValidationRows), StreamingValidationRows, "StreamingValidationRows must be ≥ 0.");
        if (CheckpointEveryEpochs < 1)
            throw new ArgumentOutOfRangeException(nameof(CheckpointEveryEpochs), CheckpointEveryEpochs, "CheckpointEveryEpochs must be at least 1.");
        if (CheckpointDirectory is not null && string.IsNullOrWhiteSpace(CheckpointDirectory))
            throw new ArgumentException("CheckpointDirectory must be a folder path or null.", nameof(CheckpointDirectory));
        if (!Enum.IsDefined(LossWeighting))
            throw new ArgumentOutOfRangeException(nameof(LossWeighting), LossWeighting, "Unknown loss weighting.");
        if (!Enum.IsDefined(Optimizer))
            throw new ArgumentOutOfRangeException(nameof(Optimizer), Optimizer, "Unknown optimizer.");
    }
}
