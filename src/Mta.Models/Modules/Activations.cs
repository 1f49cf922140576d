using Mta.Models.Options;
using TorchSharp;
using static TorchSharp.torch;

namespace Mta.Models.Modules;

/// <summary>Applies an <see cref="Activation"/> (kept as plain functions so the ONNX exporter mirrors them one to one).</summary>
internal static class Activations
{
    public static Tensor Apply(Tensor x, Activation activation) => activation switch
    {
        Activation.Relu => nn.functional.relu(x),
        Activation.Tanh => x.tanh(),
        Activation.Silu => x * x.sigmoid(),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation."),
    };
}
