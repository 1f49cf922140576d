using Mta.Models.Tasks;

namespace Mta.Models.Training;

/// <summary>One task's predictions for N rows (flat, row-major arrays).</summary>
/// <param name="Task">The task.</param>
/// <param name="Score">Binary: the logit [N]. Regression: the value in label units [N]. Multiclass: null.</param>
/// <param name="Probabilities">Binary: P(label = 1) [N]. Multiclass: [N × K]. Regression: null.</param>
/// <param name="PredictedIndex">Binary: 1 when the logit is &gt; 0. Multiclass: arg-max class [N]. Regression: null.</param>
/// <param name="Attention">The task's weights over experts, [N × E].</param>
public sealed record TaskPrediction(TaskSpec Task, float[]? Score, float[]? Probabilities, long[]? PredictedIndex, float[] Attention);
