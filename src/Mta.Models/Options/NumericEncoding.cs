namespace Mta.Models.Options;

/// <summary>How each standardized feature is presented to the first layer.</summary>
public enum NumericEncoding
{
    /// <summary>
    /// <see cref="PiecewiseLinear"/> for fixed-width rows; <see cref="Standardized"/> for images
    /// (<see cref="Architecture.ConvolutionalAttention"/>) and sets of items (<see cref="Architecture.SetAttention"/>),
    /// whose values are pixels and item values rather than table columns.
    /// </summary>
    Auto,

    /// <summary>
    /// Each feature becomes one value per quantile bin of its training values (Gorishniy et al., "On Embeddings for
    /// Numerical Features in Tabular Deep Learning", NeurIPS 2022): 1 for bins below the value, the position within its
    /// own bin, 0 above, each bin then standardized. An MLP then fits thresholds as trees do (measured in
    /// docs/notes/quality.md).
    /// Binary and constant columns stay one value. Fixed-width rows only.
    /// </summary>
    PiecewiseLinear,

    /// <summary>Each feature as one standardized value, (x − mean) / scale.</summary>
    Standardized,

    /// <summary>
    /// Each feature robustly scaled and smoothly clipped (RealMLP, Holzmüller et al., "Better by Default", NeurIPS
    /// 2024): z = (x − median) / (q₇₅ − q₂₅) of its training values (half their range where the quartiles meet), then
    /// z / √(1 + (z / 3)²), so outliers reach the first layer bounded and ordered. Fixed-width rows only.
    /// </summary>
    RobustScaled,
}
