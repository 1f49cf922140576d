namespace Mta.Models.Options;

/// <summary>Gradient-descent optimizer.</summary>
public enum OptimizerKind
{
    /// <summary>Adam; weight decay is an L2 term added to the gradient.</summary>
    Adam,

    /// <summary>AdamW; weight decay is decoupled from the gradient.</summary>
    AdamW,
}
