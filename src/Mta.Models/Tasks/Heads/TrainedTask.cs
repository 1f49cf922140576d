using Mta.Models.Options;

namespace Mta.Models.Tasks.Heads;

/// <summary>
/// What a trained model knows of one task besides its head output, as the readout needs it; passed instead of the
/// model so that the heads do not depend on the trainer.
/// </summary>
/// <param name="Task">The task.</param>
/// <param name="TargetScaling">The (mean, scale) its loss target was standardized with.</param>
/// <param name="ClassPriors">Each class's share of its training labels (null for kinds without them).</param>
/// <param name="Decision">How the predicted class relates to those shares.</param>
internal sealed record TrainedTask(TaskSpec Task, (float Mean, float Scale) TargetScaling, float[]? ClassPriors, MulticlassDecision Decision);
