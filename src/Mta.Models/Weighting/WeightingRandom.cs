namespace Mta.Models.Weighting;

/// <summary>
/// The random source of the weightings that draw per step (PCGrad's projection order, random loss weights):
/// SplitMix64, because its whole state is one number that a checkpoint can write, so a resumed run draws exactly
/// what the uninterrupted run would have drawn.
/// </summary>
internal sealed class WeightingRandom(ulong seed)
{
    private ulong _state = seed;

    /// <summary>The generator's state (for checkpoints).</summary>
    public ulong State
    {
        get => _state;
        set => _state = value;
    }

    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A standard normal draw (Box–Muller; one of the pair is used, so every draw costs two uniforms).</summary>
    public double NextNormal()
    {
        double u = 1.0 - NextDouble();   // (0, 1]: log(u) is finite
        double v = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2.0 * Math.PI * v);
    }

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle(int[] values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = (int)(NextUInt64() % (ulong)(i + 1));
            (values[i], values[j]) = (values[j], values[i]);
        }
    }
}
