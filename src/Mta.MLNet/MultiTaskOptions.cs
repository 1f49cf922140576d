using Mta.Models.Options;
using Mta.Models.Training;
using Microsoft.ML;

namespace Mta.MLNet;

/// <summary>Every setting of <see cref="MultiTaskEstimator"/>.</summary>
public sealed class MultiTaskOptions
{
    /// <summary>
    /// The feature column: a known-size vector of Single; with <c>Architecture.SetAttention</c> also a variable-length
    /// vector (a set of items of <c>Network.Set.ItemWidth</c> values each). Default "Features".
    /// </summary>
    public string FeatureColumnName { get; set; } = "Features";

    /// <summary>The tasks (at least one), each naming its label column.</summary>
    public IList<TaskColumn> Tasks { get; set; } = new List<TaskColumn>();

    /// <summary>Architecture, experts, towers, activation, dropout.</summary>
    public NetworkOptions Network { get; set; } = new();

    /// <summary>Optimizer, learning rate, epochs, batch size, early stopping, loss weighting, seed.</summary>
    public TrainingOptions Training { get; set; } = new();

    /// <summary>
    /// Rows for early stopping. Null: <see cref="TrainingOptions.ValidationFraction"/> of the training rows are held out.
    /// </summary>
    public IDataView? ValidationData { get; set; }

    /// <summary>Receives a report after every epoch (per-task train/validation loss, samples/s).</summary>
    public IProgress<EpochReport>? Progress { get; set; }

    /// <summary>Stops training (between batches) when cancelled; Fit then throws <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>
    /// Train without holding the training data in memory: the data view is read once for statistics and the
    /// validation hold-out, then once per epoch, <see cref="TrainingOptions.StreamingChunkRows"/> rows at a time
    /// (shuffled within each chunk). Use it for data larger than memory; memory then stays flat however many rows
    /// there are. Default false: the rows are read once into memory and shuffled fully every epoch.
    /// </summary>
    public bool Streaming { get; set; }

    /// <summary>Rows sent to ONNX Runtime at once by <c>Transform</c>. Default 1024.</summary>
    public int ScoringBatchSize { get; set; } = 1024;

    /// <summary>
    /// Where <c>Transform</c> runs ONNX Runtime. Default null: as ML.NET's ApplyOnnxModel, CUDA device
    /// <c>mlContext.GpuDeviceId</c> when set, else the CPU. When CUDA cannot start, Fit fails before training with an
    /// error that says what is missing, unless <c>mlContext.FallbackToCpu</c> is set (then the model scores on the CPU).
    /// </summary>
    public ScoringDevice? ScoringDevice { get; set; }
}
