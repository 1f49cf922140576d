using Mta.Models.Onnx;
using Mta.Models.TorchSharpFixes;
using TorchSharp;
using static TorchSharp.torch;

namespace Mta.Models.Architectures.DSelectK;

/// <summary>
/// The cubic smooth-step of DSelect-k (Hazimeh et al. 2021): S(t) = 0 for t ≤ −γ/2, 1 for t ≥ γ/2, and
/// −2t³/γ³ + 3t/(2γ) + 1/2 between. It is continuously differentiable and, unlike a sigmoid, reaches 0 and 1, so a
/// selector can settle on exactly one expert and stop receiving gradient there.
/// </summary>
/// <remarks>
/// Computed in u = t/γ clipped to [−1/2, 1/2], where S = −2u³ + 3u/2 + 1/2: at the clip bounds every term is a short
/// binary fraction, so S is exactly 0 or 1 in floating point too (whatever γ is), and the clip's zero gradient outside
/// is S's own. The ONNX form performs the same operations in the same order.
/// </remarks>
internal static class SmoothStep
{
    public static Tensor Apply(Tensor t, double gamma)
    {
        using var scaled = t.div(ConstantScalars.Of(gamma));
        var u = scaled.clamp(ConstantScalars.Of(-0.5), ConstantScalars.Of(0.5));
        using var linear = u.mul(ConstantScalars.Of(1.5));
        var cube = u.mul(u).mul_(u);
        return cube.mul_(ConstantScalars.Of(-2.0)).add_(linear, ConstantScalars.One).add_(ConstantScalars.Of(0.5), ConstantScalars.One);
    }

    public static string ExportOnnx(OnnxNetworkWriter w, string t, double gamma, string prefix)
    {
        string Scalar(string hint, double value) => w.Graph.Constant($"{prefix}_{hint}", [(float)value]);
        var u = w.Node("Div", [t, Scalar("gamma", gamma)], $"{prefix}_scaled");
        u = w.Node("Clip", [u, Scalar("low", -0.5), Scalar("high", 0.5)], $"{prefix}_clipped");
        var linear = w.Node("Mul", [u, Scalar("three_halves", 1.5)], $"{prefix}_linear");
        var cube = w.Node("Mul", [w.Node("Mul", [u, u], $"{prefix}_square"), u], $"{prefix}_cube");
        var s = w.Node("Add", [w.Node("Mul", [cube, Scalar("minus_two", -2.0)], $"{prefix}_cubic"), linear], $"{prefix}_sum");
        return w.Node("Add", [s, Scalar("half", 0.5)], $"{prefix}_step");
    }
}
