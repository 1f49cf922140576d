namespace Mta.Models.Onnx;

/// <summary>What one ONNX graph output holds for one task (batch axis N first unless single-row).</summary>
public enum OnnxOutputKind
{
    /// <summary>Binary: the logit, float [N].</summary>
    Logit,

    /// <summary>Binary: P(label = 1), float [N].</summary>
    Probability,

    /// <summary>Binary: logit &gt; 0, bool [N].</summary>
    PredictedFlag,

    /// <summary>Multiclass: class probabilities, float [N, K].</summary>
    Probabilities,

    /// <summary>Multiclass: arg-max class index, int64 [N].</summary>
    PredictedIndex,

    /// <summary>Multiclass: arg-max class label, string [N] (needs <see cref="Tasks.TaskSpec.ClassLabels"/>).</summary>
    PredictedClassLabel,

    /// <summary>Regression: the value in label units, float [N].</summary>
    Value,

    /// <summary>Any task: its weights over experts, float [N, E].</summary>
    Attention,
}
