using System.Diagnostics;
using static TorchSharp.torch;

namespace Mta.PerfBenchmark;

/// <summary>
/// How close training gets to this CPU's matrix-multiply speed: the net's arithmetic per sample, and the GFLOP/s of a
/// large single-precision GEMM measured here with the same threads (TorchSharp's matmul, i.e. libtorch's BLAS).
/// </summary>
internal static class GemmPeak
{
    public const int Size = 2048;
    public const int Repetitions = 8;

    /// <summary>GFLOP/s of an n×n by n×n float matmul, best of several timed repetitions.</summary>
    public static double Measure(int n = Size, int repetitions = Repetitions)
    {
        using var scope = NewDisposeScope();
        var a = randn(n, n);
        var b = randn(n, n);
        matmul(a, b).Dispose(); // warm-up
        double best = double.MaxValue;
        for (int r = 0; r < repetitions; r++)
        {
            var clock = Stopwatch.StartNew();
            matmul(a, b).Dispose();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return 2.0 * n * n * n / best / 1e9;
    }

    /// <summary>
    /// Floating-point operations to train on one sample, 2 per multiply-add: the first layer (experts, d·E·h) twice
    /// (forward, weight gradient: the input needs no gradient), every later product (attention scores and mix
    /// 2·T·E·h, towers T·(h·t + t)) three times (forward, and the gradients of both operands).
    /// </summary>
    public static double TrainingFlopsPerSample(TrainingBenchmark.NetShape s)
    {
        double first = (double)s.Features * s.Experts * s.ExpertWidth;
        double later = 2.0 * s.Tasks * s.Experts * s.ExpertWidth + s.Tasks * ((double)s.ExpertWidth * s.Tower + s.Tower);
        return 2 * (2 * first + 3 * later);
    }
}
