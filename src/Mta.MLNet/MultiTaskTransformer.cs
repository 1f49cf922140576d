using Microsoft.ML;
using Microsoft.ML.Data;
using Mta.MLNet.Data;
using Mta.MLNet.Reports;
using Mta.MLNet.Scoring;
using Mta.Models.Reports;
using Mta.Models.Tasks;
using Mta.Models.Training;

namespace Mta.MLNet;

/// <summary>
/// A fitted multi-task model in an ML.NET pipeline. Per task it adds ML.NET's conventional columns:
/// binary <c>{task}.Score</c> (logit), <c>{task}.Probability</c>, <c>{task}.PredictedLabel</c> (Boolean);
/// multiclass <c>{task}.Score</c> (class probabilities, slot names = class names) and <c>{task}.PredictedLabel</c>
/// (a key of the label's classes); regression <c>{task}.Score</c>; and for every task <c>{task}.Attention</c>
/// (its weights over the shared experts).
/// </summary>
/// <remarks>
/// <para><see cref="Transform"/> scores lazily through ONNX Runtime, <c>ScoringBatchSize</c> rows per call.
/// PredictionEngine works too (one row at a time).</para>
/// <para>Saving with <c>mlContext.Model.Save</c> writes an equivalent chain of ML.NET transformers
/// (ApplyOnnxModel, MapValueToKey and this package's <see cref="Scoring.VectorOfOneToScalar"/> custom mappings), so
/// <c>mlContext.Model.Load</c> needs Microsoft.ML, Microsoft.ML.OnnxTransformer and this package, and predicts the
/// same values; the loaded object is that chain, not this type.</para>
/// <para>Threads: scoring shares one ONNX Runtime session (whose Run is thread-safe) and each cursor keeps its own
/// batch buffers, so cursors may be used from different threads; use one PredictionEngine per thread, as ML.NET
/// requires.</para>
/// </remarks>
public sealed class MultiTaskTransformer : ITransformer, IDisposable
{
    private readonly ITransformer _mlnetChain;
    private readonly OnnxBatchScorer _scorer;
    private readonly IReadOnlyList<TaskSpec> _tasks;
    private readonly int _scoringBatchSize;
    private readonly FeatureLayout _layout;
    private bool _disposed;

    // mlnetChain: the equivalent ML.NET chain over singleRowOnnx (built after Fit, or loaded from a saved file).
    internal MultiTaskTransformer(ITransformer mlnetChain, FeatureLayout layout,
        IReadOnlyList<TaskSpec> tasks, byte[] batchedOnnx, byte[] singleRowOnnx, MultiTaskReport report, int scoringBatchSize, ScoringDevice device, bool fallbackToCpu)
    {
        _layout = layout;
        FeatureColumnName = layout.ColumnName;
        _tasks = tasks;
        _scoringBatchSize = scoringBatchSize;
        BatchedOnnxModel = batchedOnnx;
        SingleRowOnnxModel = singleRowOnnx;
        Report = report;
        _scorer = new OnnxBatchScorer(batchedOnnx, layout.ColumnName, device, fallbackToCpu);
        _mlnetChain = mlnetChain;
    }

    /// <summary>
    /// Where <see cref="Transform"/> scores: the device asked for (or <c>mlContext.GpuDeviceId</c>), or the CPU when CUDA
    /// could not start and <c>mlContext.FallbackToCpu</c> was set (then <see cref="ScoringDeviceFallbackReason"/> says why).
    /// </summary>
    public ScoringDevice ScoringDevice => _scorer.Device;

    /// <summary>Why scoring fell back to the CPU from the CUDA device asked for, or null.</summary>
    public string? ScoringDeviceFallbackReason => _scorer.FallbackReason;

    /// <summary>The feature column the model reads.</summary>
    public string FeatureColumnName { get; }

    /// <summary>Values per row in the feature column (for a variable-length column of item sets: its longest training row, not a limit).</summary>
    public int FeatureCount => _layout.Width;

    /// <summary>Values per item when the model pools sets of items (<c>Architecture.SetAttention</c>), else null.</summary>
    public int? ItemWidth => _layout.ItemWidth;

    /// <summary>The tasks, with their kinds and class names, in output order.</summary>
    public IReadOnlyList<TaskSpec> Tasks => _tasks;

    /// <summary>Per epoch: per-task training and validation losses, samples/s.</summary>
    public IReadOnlyList<EpochReport> TrainingHistory => Report.History;

    /// <summary>
    /// What the model learned about its tasks: per task the mean attention on each source (expert, gate input or
    /// mask unit) over the training rows, the task affinity, the final loss weights and the training curves.
    /// Plot it with Mta.MLNet.Plots.
    /// </summary>
    public MultiTaskReport Report { get; }

    /// <summary>
    /// The <see cref="Report"/> with the mean attention measured on <paramref name="data"/> instead of the training rows
    /// (for sets of items: per position, up to the longest training row).
    /// </summary>
    public MultiTaskReport GetReport(IDataView data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var (sums, rows) = AttentionSums.Measure(Transform(data), Report.Tasks, Report.SourceIndex.Select(s => s.Count).ToArray());
        return Report.WithAttention(sums, rows);
    }

    /// <summary>The trained network as ONNX with a dynamic batch axis (input named after the feature column).</summary>
    public byte[] BatchedOnnxModel { get; }

    /// <summary>The same network as ONNX for one row per call, per-row values as one-slot vectors (what the saved model holds).</summary>
    public byte[] SingleRowOnnxModel { get; }

    /// <inheritdoc />
    public bool IsRowToRowMapper => true;

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        CheckInput(inputSchema);
        return _mlnetChain.GetOutputSchema(inputSchema);
    }

    /// <inheritdoc />
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var schema = GetOutputSchema(input.Schema);
        return new BatchScoredDataView(input, schema, _scorer, _layout, _scoringBatchSize);
    }

    /// <inheritdoc />
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        CheckInput(inputSchema);
        return _mlnetChain.GetRowToRowMapper(inputSchema);
    }

    /// <summary>Saves the equivalent ML.NET chain (see remarks on the class).</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => _mlnetChain.Save(ctx);

    /// <summary>Releases the ONNX Runtime sessions.</summary>
    public void Dispose()
    {
        _disposed = true;
        _scorer.Dispose();
        (_mlnetChain as IDisposable)?.Dispose();
    }

    private void CheckInput(DataViewSchema inputSchema)
    {
        int size = TaskResolver.CheckFeatures(inputSchema, FeatureColumnName, _layout.Items);
        if (_layout.IsVariable ? size != 0 : size != FeatureCount)
            throw new ArgumentOutOfRangeException(nameof(inputSchema), _layout.IsVariable
                ? $"Feature column '{FeatureColumnName}' has {size} values per row; the model was trained on a variable-length vector column, and scores one."
                : $"Feature column '{FeatureColumnName}' has {(size == 0 ? "a variable number of" : size)} values per row; the model was trained on {FeatureCount}.");
    }
}
