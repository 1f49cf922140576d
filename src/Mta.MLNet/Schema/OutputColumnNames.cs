namespace Mta.MLNet.Schema;

/// <summary>The output column names of a task, following ML.NET's trainer conventions with a task prefix.</summary>
public static class OutputColumnNames
{
    /// <summary>Binary: the logit. Multiclass: the class probabilities. Regression: the predicted value.</summary>
    public static string Score(string task) => $"{task}.Score";

    /// <summary>Binary only: P(label = true).</summary>
    public static string Probability(string task) => $"{task}.Probability";

    /// <summary>Binary: Boolean. Multiclass: a key of the label's key type.</summary>
    public static string PredictedLabel(string task) => $"{task}.PredictedLabel";

    /// <summary>The task's weights over the shared experts (vector of E).</summary>
    public static string Attention(string task) => $"{task}.Attention";

    /// <summary>Multiclass: the predicted class name, an intermediate column turned into <see cref="PredictedLabel"/>.</summary>
    internal static string PredictedLabelText(string task) => $"{task}.PredictedLabel.Text";
}
