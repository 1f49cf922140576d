using Mta.Models.Options;

namespace Mta.Models.Training;

/// <summary>
/// The learning-rate multiplier of each optimizer step under <see cref="TrainingOptions.LearningRateSchedule"/>, from
/// the epoch and the step's place in it: a resumed run (checkpoints end at epoch boundaries) recomputes the same values.
/// </summary>
/// <param name="options">The run's options: the schedule and the epochs it spans.</param>
/// <param name="stepsPerEpoch">The steps one epoch is planned to take (passes × batches per pass); a streamed epoch
/// whose chunks round differently takes a few more or fewer, which moves the curve by those steps.</param>
internal sealed class StepSchedule(TrainingOptions options, long stepsPerEpoch)
{
    private readonly double _plannedSteps = (double)options.Epochs * stepsPerEpoch;

    /// <summary>The multiplier of step <c>s</c> (0-based within the epoch) of 1-based <paramref name="epoch"/>.</summary>
    public Func<long, double> ForEpoch(int epoch)
    {
        if (options.LearningRateSchedule == LearningRateSchedule.Constant)
            return _ => 1;
        long before = (epoch - 1) * stepsPerEpoch;
        return step => Cosine(Math.Min(1, (before + step) / _plannedSteps));
    }

    private static double Cosine(double progress) => 0.5 * (1 + Math.Cos(Math.PI * progress));
}
