using Mta.Models.Onnx;
using Mta.Models.TorchSharpFixes;
using TorchSharp;
using static TorchSharp.torch;

namespace Mta.Models.Architectures.DSelectK;

/// <summary>
/// DSelect-k's single-expert selector: ℓ = ⌈log₂ E⌉ code values z → weights over E experts. Code c (a number of ℓ
/// bits) gets r_c = Π_j (S(z_j) if bit j of c is 1, else 1 − S(z_j)), S the <see cref="SmoothStep"/>; the r_c sum to 1
/// over the 2^ℓ codes, and once every |z_j| ≥ γ/2 one code has weight 1 and the others 0.
/// </summary>
/// <remarks>
/// When E is not a power of two, code c stands for expert c mod E (the weights of codes sharing an expert add). The
/// alternative, dropping the unused codes and renormalizing over the real ones, divides by their mass, which is 0
/// once a selector saturates on an unused code; S is flat there, so that selector could never leave and would give
/// its task nothing. With the fold every code is a real expert: the weights always sum to 1 and a settled selector
/// always picks one real expert, at the price of the first 2^ℓ − E experts having two codes each.
/// At least one bit is used (E = 1 has the codes 0 and 1, both expert 0), so every selector has a value to learn.
/// </remarks>
internal sealed class SingleExpertSelector : nn.Module<Tensor, Tensor>
{
    private readonly Tensor code_signs;     // [C, ℓ]: +1 where bit j of code c is 1, −1 where it is 0
    private readonly Tensor code_offsets;   // [C, ℓ]: 0 where bit j of code c is 1, 1 where it is 0
    private readonly Tensor? code_experts;  // [C, E]: 1 where code c stands for expert e; null when C = E
    private readonly double _gamma;

    public SingleExpertSelector(string name, int expertCount, double gamma) : base(name)
    {
        ExpertCount = expertCount;
        CodeBits = BitsFor(expertCount);
        _gamma = gamma;
        int codes = 1 << CodeBits;
        bool Bit(int c, int j) => ((c >> j) & 1) == 1;
        var signs = new float[codes * CodeBits];
        var offsets = new float[codes * CodeBits];
        for (int c = 0; c < codes; c++)
        {
            for (int j = 0; j < CodeBits; j++)
            {
                signs[c * CodeBits + j] = Bit(c, j) ? 1f : -1f;
                offsets[c * CodeBits + j] = Bit(c, j) ? 0f : 1f;
            }
        }
        code_signs = tensor(signs, [codes, CodeBits]);
        code_offsets = tensor(offsets, [codes, CodeBits]);
        if (codes != expertCount)
        {
            var fold = new float[codes * expertCount];
            for (int c = 0; c < codes; c++)
                fold[c * expertCount + c % expertCount] = 1f;
            code_experts = tensor(fold, [codes, expertCount]);
        }
        RegisterComponents();
    }

    /// <summary>Number of experts E.</summary>
    public int ExpertCount { get; }

    /// <summary>Code values ℓ each selector reads.</summary>
    public int CodeBits { get; }

    /// <summary>ℓ = ⌈log₂ E⌉, at least 1.</summary>
    public static int BitsFor(int expertCount)
    {
        int bits = 1;
        while ((1 << bits) < expertCount)
            bits++;
        return bits;
    }

    /// <summary>z: [..., ℓ] → [..., E], each selector's weights over the experts.</summary>
    public override Tensor forward(Tensor z)
    {
        using var step = SmoothStep.Apply(z, _gamma);
        using var s = step.unsqueeze(-2);                                                  // [..., 1, ℓ]
        using var factors = s.mul(code_signs).add_(code_offsets, ConstantScalars.One);     // [..., C, ℓ]: S(z_j) or 1 − S(z_j)
        var codes = factors.select(-1, 0);
        for (int j = 1; j < CodeBits; j++)
        {
            using var factor = factors.select(-1, j);
            codes = codes.mul(factor);
        }
        return code_experts is null ? codes : codes.matmul(code_experts);
    }

    /// <summary>Writes <see cref="forward"/>: <paramref name="z"/> [..., ℓ] → [..., E].</summary>
    public string ExportOnnx(OnnxNetworkWriter w, string z, string prefix)
    {
        var s = w.Node("Unsqueeze", [SmoothStep.ExportOnnx(w, z, _gamma, $"{prefix}_smooth"), w.Int64s($"{prefix}_code_axis", -2)], $"{prefix}_step_by_code");
        var factors = w.Node("Mul", [s, w.Constant($"{prefix}_code_signs", code_signs)], $"{prefix}_signed");
        factors = w.Node("Add", [factors, w.Constant($"{prefix}_code_offsets", code_offsets)], $"{prefix}_factors");
        string Factor(int j) => w.Node("Gather", [factors, w.Graph.Constant($"{prefix}_bit{j}", [(long)j])], $"{prefix}_factor{j}", OnnxAttr.Int("axis", -1));
        var codes = Factor(0);
        for (int j = 1; j < CodeBits; j++)
            codes = w.Node("Mul", [codes, Factor(j)], $"{prefix}_codes{j}");
        return code_experts is null ? codes : w.Node("MatMul", [codes, w.Constant($"{prefix}_code_experts", code_experts)], $"{prefix}_experts");
    }
}
