using System.Diagnostics;
using Mta.Models.Architectures.SetAttention;
using Mta.Models.Data;
using Mta.Models.Losses;
using Mta.Models.Modules;
using Mta.Models.Options;
using Mta.Models.Reports;
using Mta.Models.Tasks;
using Mta.Models.Tasks.Heads;
using Mta.Models.Weighting;
using Mta.Models.Weighting.Gradients;
using Mta.Models.TorchSharpFixes;
using TorchSharp;
using static TorchSharp.torch;

namespace Mta.Models.Training;

/// <summary>Trains a <see cref="MultiTaskModel"/>: any architecture with any loss weighting.</summary>
public static class MultiTaskTrainer
{
    // TorchSharp's default generator (initialization, dropout) is process-wide: one training at a time keeps
    // "same seed → same model" true even when callers train from several threads.
    private static readonly Lock s_trainingLock = new();

    /// <summary>Trains a network on <paramref name="train"/>.</summary>
    /// <param name="tasks">The tasks, in the order of <see cref="MultiTaskData.Labels"/>.</param>
    /// <param name="train">Training rows.</param>
    /// <param name="validation">Rows for early stopping; when null, <see cref="TrainingOptions.ValidationFraction"/> of train is held out.</param>
    /// <param name="network">Network shape.</param>
    /// <param name="training">Optimization settings.</param>
    /// <param name="progress">Receives an <see cref="EpochReport"/> after every epoch.</param>
    /// <param name="cancellationToken">Checked before every batch.</param>
    public static MultiTaskModel Train(
        IReadOnlyList<TaskSpec> tasks,
        MultiTaskData train,
        MultiTaskData? validation,
        NetworkOptions network,
        TrainingOptions training,
        IProgress<EpochReport>? progress = null,
        CancellationToken cancellationToken = default) =>
        Train(tasks, train, validation, network, training, optionsChecked: false, progress, cancellationToken);

    /// <summary>
    /// <see cref="Train(IReadOnlyList{TaskSpec}, MultiTaskData, MultiTaskData?, NetworkOptions, TrainingOptions, IProgress{EpochReport}?, CancellationToken)"/>;
    /// <paramref name="optionsChecked"/>: the caller has already validated these option instances (the ML.NET
    /// estimator does when it is created), so they are not validated a second time.
    /// </summary>
    internal static MultiTaskModel Train(
        IReadOnlyList<TaskSpec> tasks,
        MultiTaskData train,
        MultiTaskData? validation,
        NetworkOptions network,
        TrainingOptions training,
        bool optionsChecked,
        IProgress<EpochReport>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(train);
        training = PrepareOptions(network, training, optionsChecked);
        train.Validate(tasks);
        CheckWeighting(tasks, training);
        CheckWidths(network, train.FeatureCount, validation);
        validation?.Validate(tasks, requireEveryTask: false);
        ItemIds.Check(train, network, "training data");
        if (validation is not null)
            ItemIds.Check(validation, network, "validation data");

        train = DropUnlabeledRows(train);
        if (validation is null && training.ValidationFraction > 0)
            (train, validation) = HoldOut(train, training.ValidationFraction, training.Seed!.Value);

        var inputScaling = InputScaling(Standardized(train, network), train, network);
        var input = new TrainingInput
        {
            FeatureCount = train.FeatureCount,
            TrainingRows = train.RowCount,
            InputScaling = inputScaling,
            Bins = Bins(train, inputScaling, network),
            TargetScaling = tasks.Select((t, k) => TaskHeads.For(t).TargetScaling(train.Labels[k])).ToArray(),
            ClassPriors = tasks.Select((t, k) => TaskHeads.For(t).ClassPriors(t, train.Labels[k])).ToArray(),
            Validation = validation,
            ReportSample = train,
            DataHash = () => TrainingFingerprint.OfData(train),
        };
        lock (s_trainingLock)
        {
            return TrainCore(tasks, input, (net, scaling) => new InMemoryRows(DeviceData.Create(train, tasks, scaling, net)), network, training, progress, cancellationToken);
        }
    }

    /// <summary>
    /// Trains on rows streamed from <paramref name="source"/> instead of held in memory: one pass gathers the
    /// statistics and the validation hold-out, then every epoch reads the source again, a chunk of
    /// <see cref="TrainingOptions.StreamingChunkRows"/> rows at a time (shuffled within the chunk). Memory stays flat
    /// however many rows the source has.
    /// </summary>
    /// <param name="tasks">The tasks, in the order of each chunk's labels.</param>
    /// <param name="source">The rows; read 1 + epochs times, in the same order each time.</param>
    /// <param name="validation">Rows for early stopping; when null, up to <see cref="TrainingOptions.StreamingValidationRows"/> rows of the source are held out.</param>
    /// <param name="network">Network shape.</param>
    /// <param name="training">Optimization settings.</param>
    /// <param name="progress">Receives an <see cref="EpochReport"/> after every epoch.</param>
    /// <param name="cancellationToken">Checked before every batch and every chunk.</param>
    public static MultiTaskModel TrainStreaming(
        IReadOnlyList<TaskSpec> tasks,
        IMultiTaskRowSource source,
        MultiTaskData? validation,
        NetworkOptions network,
        TrainingOptions training,
        IProgress<EpochReport>? progress = null,
        CancellationToken cancellationToken = default) =>
        TrainStreaming(tasks, source, validation, network, training, optionsChecked: false, progress, cancellationToken);

    /// <summary>
    /// <see cref="TrainStreaming(IReadOnlyList{TaskSpec}, IMultiTaskRowSource, MultiTaskData?, NetworkOptions, TrainingOptions, IProgress{EpochReport}?, CancellationToken)"/>;
    /// <paramref name="optionsChecked"/> as for <c>Train</c>.
    /// </summary>
    internal static MultiTaskModel TrainStreaming(
        IReadOnlyList<TaskSpec> tasks,
        IMultiTaskRowSource source,
        MultiTaskData? validation,
        NetworkOptions network,
        TrainingOptions training,
        bool optionsChecked,
        IProgress<EpochReport>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        training = PrepareOptions(network, training, optionsChecked);
        TaskSpec.ValidateSet(tasks);
        CheckWeighting(tasks, training);
        CheckWidths(network, source.FeatureCount, validation);
        validation?.Validate(tasks, requireEveryTask: false);
        if (validation is not null)
            ItemIds.Check(validation, network, "validation data");

        var pass = StreamingPass.Run(source, tasks, training, network, holdOut: validation is null && training.ValidationFraction > 0, cancellationToken);
        var input = new TrainingInput
        {
            FeatureCount = source.FeatureCount,
            TrainingRows = pass.TrainingRows,
            InputScaling = InputScaling(pass.InputScaling, pass.ReportSample, network),
            Bins = Bins(pass.ReportSample, pass.InputScaling, network),
            TargetScaling = pass.TargetScaling,
            ClassPriors = pass.ClassPriors,
            Validation = validation ?? pass.Validation,
            ReportSample = pass.ReportSample,
            DataHash = () => pass.DataHash,
        };
        lock (s_trainingLock)
        {
            return TrainCore(tasks, input,
                (net, scaling) => new StreamedRows(source, training.StreamingChunkRows, pass.HeldOut, pass.TrainingRows, tasks, scaling, net),
                network, training, progress, cancellationToken);
        }
    }

    /// <summary>
    /// The preamble both entry points share: the options checked (once), a native libtorch present before any work,
    /// and the training options with their seed resolved.
    /// </summary>
    private static TrainingOptions PrepareOptions(NetworkOptions network, TrainingOptions training, bool optionsChecked)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(training);
        if (!optionsChecked)
        {
            network.Validate();
            training.Validate();
        }
        NativeLibTorch.EnsureLoaded();
        return training.WithSeedResolved();
    }

    /// <summary>
    /// What the network scales its input with: the standardization, or the robust scaling fitted on
    /// <paramref name="rows"/> (the training rows, or a streamed source's sample: quantiles need the rows); set
    /// architectures' item ids stay raw.
    /// </summary>
    private static Standardization InputScaling(Standardization standardized, MultiTaskData rows, NetworkOptions network) =>
        ItemIds.KeepIdsRaw(network.NumericEncoding == NumericEncoding.RobustScaled ? RobustScaling.Fit(rows.Features, rows.FeatureCount) : standardized, network);

    private static Standardization Standardized(MultiTaskData train, NetworkOptions network)
    {
        var statistics = new InputStatistics(train.FeatureCount, ItemLayout.Of(network));
        statistics.AddRows(train.Features);
        return statistics.ToStandardization();
    }

    /// <summary>
    /// The piecewise-linear bins when the options use them: quantiles of <paramref name="rows"/> (the training rows, or
    /// for a streamed source its first <see cref="StreamingPass.ReportRows"/> training rows).
    /// </summary>
    private static PiecewiseLinearBins? Bins(MultiTaskData rows, Standardization scaling, NetworkOptions network) =>
        network.UsesPiecewiseLinear ? PiecewiseLinearBins.Fit(rows.Features, rows.FeatureCount, scaling, network.NumericBins) : null;

    /// <summary>
    /// Fixed-width rows: validation rows as wide as training rows. Sets of items: every row the row features and whole
    /// items (the network takes any number of items, so validation rows may be padded to a different length).
    /// </summary>
    private static void CheckWidths(NetworkOptions network, int trainWidth, MultiTaskData? validation)
    {
        if (ItemLayout.Of(network) is { } layout)
        {
            if (!layout.Fits(trainWidth))
                throw new ArgumentException($"Training rows have {trainWidth} feature values, not {layout.Expected}.", nameof(network));
            if (validation is not null && !layout.Fits(validation.FeatureCount))
                throw new ArgumentException($"Validation rows have {validation.FeatureCount} feature values, not {layout.Expected}.", nameof(validation));
        }
        else if (validation is not null && validation.FeatureCount != trainWidth)
        {
            throw new ArgumentException($"Validation rows have {validation.FeatureCount} features, training rows {trainWidth}.", nameof(validation));
        }
    }

    private static void CheckWeighting(IReadOnlyList<TaskSpec> tasks, TrainingOptions training)
    {
        var weighted = tasks.FirstOrDefault(t => t.LossWeight != 1f);
        if (training.LossWeighting != LossWeightingKind.Fixed && weighted is not null)
            throw new ArgumentException(
                $"Task '{weighted.Name}' has LossWeight {weighted.LossWeight}, but LossWeighting {training.LossWeighting} sets the weights itself; " +
                "use LossWeighting Fixed to weight tasks by hand.", nameof(tasks));
    }

    /// <summary>What training needs besides the rows themselves, however the rows are held.</summary>
    private sealed class TrainingInput
    {
        public required int FeatureCount { get; init; }
        /// <summary>The rows trained on, after any validation hold-out: what the size-aware defaults are sized to.</summary>
        public required long TrainingRows { get; init; }
        public required Standardization InputScaling { get; init; }
        public required PiecewiseLinearBins? Bins { get; init; }
        public required IReadOnlyList<(float Mean, float Scale)> TargetScaling { get; init; }
        public required IReadOnlyList<float[]?> ClassPriors { get; init; }
        public required MultiTaskData? Validation { get; init; }
        public required MultiTaskData ReportSample { get; init; }
        public required Func<string> DataHash { get; init; }
    }

    private static MultiTaskModel TrainCore(
        IReadOnlyList<TaskSpec> tasks, TrainingInput input, Func<MultiTaskNetwork, IReadOnlyList<(float Mean, float Scale)>, TrainingRows> createRows,
        NetworkOptions networkOptions, TrainingOptions options, IProgress<EpochReport>? progress, CancellationToken ct)
    {
        (networkOptions, options, var bins) = SizedOptions.Resolve(networkOptions, options, input.TrainingRows, input.Bins);
        var targetScaling = input.TargetScaling;
        var validation = input.Validation;
        OneDnn.TrySetEnabled(false);
        random.manual_seed(options.Seed!.Value);
        var shuffle = new Generator((ulong)options.Seed.Value);
        var net = new MultiTaskNetwork(tasks, input.FeatureCount, input.InputScaling, networkOptions, bins);
        using var weighting = LossWeightings.Create(options, tasks, net.Encoder);
        using var state = new TrainingState();
        if (options.PerTaskBestEpoch && validation is not null)
        {
            state.TaskBestLosses = [.. tasks.Select(_ => double.PositiveInfinity)];
            state.TaskBestWeights = new Tensor[]?[tasks.Count];
        }
        try
        {
            using var weightingOptimizer = weighting.Parameters.Count > 0 ? optim.Adam(weighting.Parameters, options.LearningRate) : null;
            using var trainRows = createRows(net, targetScaling);
            using var validSet = validation is null ? null : DeviceData.Create(validation, tasks, targetScaling, net);
            using var optimizer = new FlatAdam([.. net.parameters()], options.LearningRate, options.WeightDecay, options.Optimizer == OptimizerKind.AdamW, options.AdamBeta2);
            using var average = options.WeightAverageDecay > 0 ? new WeightAverage(optimizer.Values, WeightAverage.RunningStatistics(net), options.WeightAverageDecay) : null;
            var optimizers = new Optimizers(optimizer, weightingOptimizer, average);
            using var taskGradients = weighting is GradientWeighting ? new TaskGradients(optimizer, optimizer.Positions(net.SharedParameters())) : null;
            string? fingerprint = options.CheckpointDirectory is null ? null : TrainingFingerprint.Of(tasks, input.DataHash(), validation, networkOptions, options);
            if (fingerprint is not null)
                Checkpoint.TryRestore(options.CheckpointDirectory!, fingerprint, state, net, optimizers, weighting, shuffle);

            int passes = options.PassesPerEpoch(trainRows.Rows);
            var schedule = new StepSchedule(options, options.StepsPerEpoch(trainRows.Rows));
            var stopping = new EarlyStopping(validSet, tasks, options, state, optimizers);
            while (state.Epoch < options.Epochs && !stopping.Stopped)
            {
                int epoch = state.Epoch + 1;
                var clock = Stopwatch.StartNew();
                var (trainTotal, trainTasks, timings) = RunEpoch(net, trainRows, passes, tasks, weighting, taskGradients, optimizers, options, schedule.ForEpoch(epoch), shuffle, ct);
                double samplesPerSecond = trainRows.Rows * passes / Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
                var epochWeights = weighting.Weights.ToArray();   // the weights this epoch trained with
                double? conflicts = (weighting as GradientWeighting)?.ConflictRate;
                double epochLearningRate = optimizer.LearningRate * optimizer.ScheduleFactor;   // at the epoch's last step
                weighting.EndEpoch(trainTasks);
                var (validTotal, validTasks, isBest) = stopping.Judge(net);

                var report = new EpochReport(epoch, trainTotal, trainTasks, validTotal, validTasks, samplesPerSecond, isBest, epochWeights, timings, epochLearningRate, conflicts);
                state.History.Add(report);
                state.Epoch = epoch;
                if (fingerprint is not null && (epoch % options.CheckpointEveryEpochs == 0 || epoch == options.Epochs || stopping.Stopped))
                    Checkpoint.Save(options.CheckpointDirectory!, fingerprint, state, net, optimizers, weighting, shuffle);
                progress?.Report(report);
            }

            var kept = stopping.KeepBest(net);
            if (options.TemperatureScaling && validSet is not null)
                TemperatureScaling.Apply(net, validSet, tasks);
            var history = state.History.ToArray();
            var model = new MultiTaskModel(net, tasks, networkOptions, options, targetScaling, history, kept.LossWeights, input.ClassPriors);
            model.Report = MultiTaskReports.Create(model, input.ReportSample);
            return model;
        }
        catch
        {
            net.Dispose();
            throw;
        }
    }

    private static (double Total, double[] Tasks, StepTimings Timings) RunEpoch(
        MultiTaskNetwork net, TrainingRows rows, int passes, IReadOnlyList<TaskSpec> tasks, ILossWeighting weighting,
        TaskGradients? taskGradients, Optimizers optimizers, TrainingOptions options, Func<long, double> scheduleFactor, Generator shuffle, CancellationToken ct)
    {
        net.train();
        var taskSums = new double[tasks.Count];
        double totalSum = 0;
        int batches = 0;
        var clock = new StepClock();
        // TrainCore has resolved the sized batch into the options.
        int batchSize = options.BatchSize!.Value;
        foreach (var data in Enumerable.Range(0, passes).SelectMany(_ => rows.Epoch(ct)))
        {
            using var order = randperm(data.Rows, generator: shuffle);
            for (long start = 0; start < data.Rows; start += batchSize)
            {
                ct.ThrowIfCancellationRequested();
                clock.Start();
                using (var scope = NewDisposeScope())
                {
                    long size = Math.Min(batchSize, data.Rows - start);
                    var index = order.narrow(0, start, size);
                    var features = data.Features.index_select(0, index);
                    var targets = new Tensor[tasks.Count];
                    var masks = new Tensor[tasks.Count];
                    for (int k = 0; k < tasks.Count; k++)
                    {
                        targets[k] = data.Targets[k].index_select(0, index);
                        masks[k] = data.Masks[k].index_select(0, index);
                    }
                    clock.Lap(StepClock.Data);

                    var losses = TaskLosses(net.ForwardStandardized(features), tasks, targets, masks, options.LabelSmoothing);
                    var total = weighting.Combine(losses);
                    clock.Lap(StepClock.Forward);

                    optimizers.ZeroGrad();
                    if (taskGradients is not null)
                        taskGradients.Backward(losses, (GradientWeighting)weighting);
                    else
                        total.backward();
                    clock.Lap(StepClock.Backward);

                    if (options.GradientClipNorm > 0)
                        optimizers.Network.ClipGradNorm(options.GradientClipNorm);
                    optimizers.Network.ScheduleFactor = scheduleFactor(batches);
                    optimizers.Step();
                    if (weighting.NeedsLossesAfterStep)
                        weighting.AfterStep(LossesAfterStep(net, features, tasks, targets, masks, options.LabelSmoothing));
                    clock.Lap(StepClock.Optimizer);

                    // One read-back per batch: the per-task losses and the total together.
                    var values = stack([.. losses, total]).detach().data<float>().ToArray();
                    for (int k = 0; k < tasks.Count; k++)
                        taskSums[k] += values[k];
                    totalSum += values[^1];
                    batches++;
                }
                clock.Lap(StepClock.Overhead);
            }
        }
        return (totalSum / batches, taskSums.Select(s => s / batches).ToArray(), clock.ToTimings());
    }

    /// <summary>The batch's per-task losses under the weights just stepped to (same mode as training, no gradients).</summary>
    private static double[] LossesAfterStep(MultiTaskNetwork net, Tensor features, IReadOnlyList<TaskSpec> tasks, Tensor[] targets, Tensor[] masks, double labelSmoothing)
    {
        using var noGrad = no_grad();
        var losses = TaskLosses(net.ForwardStandardized(features), tasks, targets, masks, labelSmoothing);
        return stack(losses).data<float>().Select(v => (double)v).ToArray();
    }

    /// <summary>Each task's mean loss; over an ensemble's members, the mean of their losses (each member is scored on every row).</summary>
    private static Tensor[] TaskLosses(NetworkOutput output, IReadOnlyList<TaskSpec> tasks, Tensor[] targets, Tensor[] masks, double labelSmoothing)
    {
        var losses = new Tensor[tasks.Count];
        for (int k = 0; k < tasks.Count; k++)
        {
            var (target, mask) = output.Members == 1 ? (targets[k], masks[k]) : (targets[k].repeat(output.Members), masks[k].repeat(output.Members));
            losses[k] = MaskedTaskLoss.Mean(TaskHeads.For(tasks[k]), output.Heads[k], target, mask, labelSmoothing);
        }
        return losses;
    }

    /// <summary>Per task, mean loss over present labels on all rows (no dropout, no gradients).</summary>
    internal static double[] Evaluate(MultiTaskNetwork net, DeviceData data, IReadOnlyList<TaskSpec> tasks)
    {
        const int Chunk = 8192;
        net.eval();
        var sums = new double[tasks.Count];
        var counts = new double[tasks.Count];
        using var noGrad = no_grad();
        for (long start = 0; start < data.Rows; start += Chunk)
        {
            using var scope = NewDisposeScope();
            long size = Math.Min(Chunk, data.Rows - start);
            var output = net.ForwardStandardized(data.Features.narrow(0, start, size));
            for (int k = 0; k < tasks.Count; k++)
            {
                var (sum, count) = MaskedTaskLoss.Sum(TaskHeads.For(tasks[k]), output.Heads[k], data.Targets[k].narrow(0, start, size), data.Masks[k].narrow(0, start, size));
                sums[k] += sum.item<float>();
                counts[k] += count.item<float>();
            }
        }
        return sums.Select((s, k) => counts[k] > 0 ? s / counts[k] : 0).ToArray();
    }

    /// <summary>Rows without any label teach nothing: drop them before batching.</summary>
    private static MultiTaskData DropUnlabeledRows(MultiTaskData data)
    {
        var keep = new List<int>(data.RowCount);
        for (int r = 0; r < data.RowCount; r++)
        {
            if (data.Labels.Any(l => !float.IsNaN(l[r])))
                keep.Add(r);
        }
        return keep.Count == data.RowCount ? data : data.Select(keep);
    }

    /// <summary>A seeded random hold-out of <paramref name="fraction"/> of the rows (none if too few rows).</summary>
    private static (MultiTaskData Train, MultiTaskData? Validation) HoldOut(MultiTaskData data, double fraction, int seed)
    {
        int validationRows = (int)Math.Round(data.RowCount * fraction);
        if (validationRows < 8 || data.RowCount - validationRows < 8)
            return (data, null);
        var order = Enumerable.Range(0, data.RowCount).ToArray();
        new Random(seed).Shuffle(order);
        return (data.Select(order[validationRows..]), data.Select(order[..validationRows]));
    }
}
