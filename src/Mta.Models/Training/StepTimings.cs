using System.Diagnostics;

namespace Mta.Models.Training;

/// <summary>
/// Where an epoch's training time went, in seconds summed over its batches. On CPU every TorchSharp op runs
/// synchronously, so wall-clock laps between the phases attribute time correctly.
/// </summary>
/// <param name="Data">Selecting the batch's rows and labels (index_select on the tensors held in memory).</param>
/// <param name="Forward">Network forward, per-task losses and the loss weighting (GradNorm's extra gradients included).</param>
/// <param name="Backward">zero_grad and backward.</param>
/// <param name="Optimizer">Gradient clipping and the optimizer step.</param>
/// <param name="Overhead">Reading the losses back and disposing the batch's tensors.</param>
public sealed record StepTimings(double Data, double Forward, double Backward, double Optimizer, double Overhead)
{
    /// <summary>All phases together.</summary>
    public double Total => Data + Forward + Backward + Optimizer + Overhead;
}

/// <summary>Accumulates <see cref="StepTimings"/> phase by phase with one timestamp per phase boundary.</summary>
internal sealed class StepClock
{
    private readonly long[] _ticks = new long[5];
    private long _last = Stopwatch.GetTimestamp();

    public const int Data = 0, Forward = 1, Backward = 2, Optimizer = 3, Overhead = 4;

    /// <summary>Restarts the lap (e.g. at the top of a batch).</summary>
    public void Start() => _last = Stopwatch.GetTimestamp();

    /// <summary>Charges the time since the last lap to <paramref name="phase"/>.</summary>
    public void Lap(int phase)
    {
        long now = Stopwatch.GetTimestamp();
        _ticks[phase] += now - _last;
        _last = now;
    }

    public StepTimings ToTimings()
    {
        double S(int p) => _ticks[p] / (double)Stopwatch.Frequency;
        return new StepTimings(S(Data), S(Forward), S(Backward), S(Optimizer), S(Overhead));
    }
}
