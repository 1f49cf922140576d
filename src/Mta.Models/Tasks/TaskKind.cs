namespace Mta.Models.Tasks;

/// <summary>What a task predicts; decides the head, the loss and the outputs.</summary>
public enum TaskKind
{
    /// <summary>Two classes: one logit, binary cross-entropy, a probability.</summary>
    Binary,

    /// <summary>K classes: K logits, cross-entropy, a probability per class.</summary>
    Multiclass,

    /// <summary>A real value: one output, squared error on the standardized target.</summary>
    Regression,
}
