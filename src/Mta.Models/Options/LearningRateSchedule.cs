namespace Mta.Models.Options;

/// <summary>How the learning rate moves over the planned optimizer steps of a run (Epochs × steps per epoch).</summary>
public enum LearningRateSchedule
{
    /// <summary>The learning rate as set (the plateau schedule, <see cref="TrainingOptions.LearningRateDecay"/>, may still lower it).</summary>
    Constant,

    /// <summary>
    /// Cosine annealing (Loshchilov and Hutter 2017, without restarts): step t of T planned steps uses
    /// rate · (1 + cos(π t / T)) / 2, from the full rate to zero at the last planned step. A run that stops early
    /// stops wherever the curve is; the plateau schedule multiplies on top.
    /// </summary>
    Cosine,
}
