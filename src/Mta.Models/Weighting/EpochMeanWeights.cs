namespace Mta.Models.Weighting;

/// <summary>
/// The weights to report for a weighting that draws or solves new ones every batch: their mean over the epoch so
/// far, and after an epoch the last epoch's mean (1 before any batch).
/// </summary>
internal sealed class EpochMeanWeights(int taskCount)
{
    private readonly double[] _sums = new double[taskCount];
    private readonly double[] _lastMean = Enumerable.Repeat(1.0, taskCount).ToArray();
    private int _steps;

    /// <summary>Batches added this epoch.</summary>
    public int Steps => _steps;

    public IReadOnlyList<double> Current => _steps == 0 ? _lastMean : _sums.Select(s => s / _steps).ToArray();

    public void Add(IReadOnlyList<double> weights)
    {
        for (int k = 0; k < _sums.Length; k++)
            _sums[k] += weights[k];
        _steps++;
    }

    public void EndEpoch()
    {
        if (_steps > 0)
        {
            for (int k = 0; k < _sums.Length; k++)
                _lastMean[k] = _sums[k] / _steps;
        }
        Array.Clear(_sums);
        _steps = 0;
    }

    /// <summary>Checkpoints are written between epochs, so the last epoch's mean is the whole state.</summary>
    public void Save(BinaryWriter writer) => StateIo.Write(writer, _lastMean);

    public void Load(BinaryReader reader) => StateIo.Read(reader, _lastMean.Length).CopyTo(_lastMean, 0);
}
