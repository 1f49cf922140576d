namespace Mta.Models.Options;

/// <summary>Hidden-layer non-linearity (each has an exact ONNX counterpart).</summary>
public enum Activation
{
    /// <summary>max(0, x).</summary>
    Relu,

    /// <summary>tanh(x).</summary>
    Tanh,

    /// <summary>x · sigmoid(x) (SiLU / swish).</summary>
    Silu,
}
