namespace Mta.Models.Training;

/// <summary>What happened in one training epoch; passed to the progress callback and kept in the history.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainLoss">Weighted total training loss (mean over the epoch's batches).</param>
/// <param name="TaskTrainLosses">Per task, mean training loss over present labels (regression in standardized units).</param>
/// <param name="ValidationLoss">Validation loss weighted by the tasks' fixed loss weights, or null without validation data.</param>
/// <param name="TaskValidationLosses">Per task validation loss, or null.</param>
/// <param name="SamplesPerSecond">Training rows processed per second in this epoch.</param>
/// <param name="IsBest">Whether this epoch has the best validation loss so far (by the tasks' fixed loss weights).</param>
/// <param name="Timings">Where the epoch's training time went (data, forward, backward, optimizer, overhead).</param>
/// <param name="LearningRate">The learning rate of this epoch's last step (see <c>TrainingOptions.LearningRateDecay</c> and <c>LearningRateSchedule</c>).</param>
/// <param name="GradientConflicts">For a gradient method (PCGrad, CAGrad, MGDA, IMTL, AlignedMTL, NashMTL), the fraction of the epoch's steps in which two tasks' gradients on the shared parameters pointed against each other (negative inner product); null for loss-level weightings.</param>
/// <param name="LossWeights">Per task, the loss weights this epoch trained with (for weightings that adapt every batch, their value at the epoch's end).</param>
public sealed record EpochReport(
    int Epoch,
    double TrainLoss,
    IReadOnlyList<double> TaskTrainLosses,
    double? ValidationLoss,
    IReadOnlyList<double>? TaskValidationLosses,
    double SamplesPerSecond,
    bool IsBest,
    IReadOnlyList<double> LossWeights,
    StepTimings Timings,
    double LearningRate,
    double? GradientConflicts = null);
