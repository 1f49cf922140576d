using Microsoft.ML;
using Microsoft.ML.Data;
using Mta.MLNet.Evaluation;

namespace Mta.MLNet;

/// <summary>Multi-task trainers and evaluation: <c>mlContext.MultiTask()</c>.</summary>
public sealed class MultiTaskCatalog
{
    internal MultiTaskCatalog(MLContext mlContext) => Context = mlContext;

    internal MLContext Context { get; }

    /// <summary>
    /// One network for several label columns: shared experts, per-task attention over them, per-task towers and heads.
    /// Task kinds follow the label column types: Boolean → binary, key → multiclass, Single/Double → regression.
    /// </summary>
    /// <param name="labels">The label columns, one task each (tasks are named after their columns).</param>
    /// <param name="featureColumnName">A known-size vector of Single.</param>
    public MultiTaskEstimator Attention(string[] labels, string featureColumnName = "Features")
    {
        ArgumentNullException.ThrowIfNull(labels);
        return Attention(new MultiTaskOptions
        {
            FeatureColumnName = featureColumnName,
            Tasks = labels.Select(TaskColumn.FromLabelColumnName).ToList(),
        });
    }

    /// <summary>The same trainer with every option (architecture, experts, training, validation, progress).</summary>
    public MultiTaskEstimator Attention(MultiTaskOptions options) => new(Context, options);

    /// <summary>
    /// An AutoML-style experiment: tries network and training options (architecture, experts, widths, dropout,
    /// learning rate, weight decay, batch size, loss weighting) within a time budget and returns the best model.
    /// </summary>
    public Experiments.MultiTaskExperiment Experiment(Experiments.MultiTaskExperimentOptions options) => new(Context, options);

    /// <summary>
    /// Loads a model saved with <c>mlContext.Model.Save</c>, like <c>mlContext.Model.Load</c>, except that each
    /// multi-task step comes back as a <see cref="MultiTaskTransformer"/> that scores <paramref name="scoringBatchSize"/>
    /// rows per ONNX Runtime call (as after <c>Fit</c>) and exposes its tasks, report and ONNX models. Other steps
    /// (featurization) are returned as ML.NET loads them; a file without a multi-task step loads exactly as with ML.NET.
    /// </summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <param name="path">The model file.</param>
    /// <param name="inputSchema">The schema the model was saved with.</param>
    /// <param name="scoringBatchSize">Rows per ONNX Runtime call in the multi-task steps.</param>
    /// <param name="device">Where the multi-task steps score. Default: CUDA device <c>mlContext.GpuDeviceId</c> when set, else
    /// the CPU; when CUDA cannot start, <c>mlContext.FallbackToCpu</c> chooses the CPU instead of the error.</param>
    /// <exception cref="InvalidDataException">The file is not a readable ML.NET model (the message names it).</exception>
    /// <exception cref="NotSupportedException">A CUDA device was asked for and cannot start (no CUDA build of ONNX Runtime, no CUDA
    /// libraries or no such GPU; the message says which), and <c>mlContext.FallbackToCpu</c> is not set.</exception>
    public ITransformer Load(string path, out DataViewSchema inputSchema, int scoringBatchSize = 1024, ScoringDevice? device = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var bytes = File.ReadAllBytes(path);
        return Load(bytes, $"file '{path}'", out inputSchema, scoringBatchSize, device);
    }

    /// <summary>Loads a model from a stream (see <see cref="Load(string, out DataViewSchema, int, ScoringDevice)"/>).</summary>
    public ITransformer Load(Stream stream, out DataViewSchema inputSchema, int scoringBatchSize = 1024, ScoringDevice? device = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return Load(copy.ToArray(), "the stream", out inputSchema, scoringBatchSize, device);
    }

    private ITransformer Load(byte[] file, string source, out DataViewSchema inputSchema, int scoringBatchSize, ScoringDevice? device)
    {
        if (scoringBatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(scoringBatchSize), scoringBatchSize, "scoringBatchSize must be at least 1.");
        try
        {
            return Persistence.SavedModelLoader.Load(Context, file, out inputSchema, scoringBatchSize, Scoring.DeviceChoice.Resolve(Context, device));
        }
        catch (Exception e) when (e is not OutOfMemoryException and not NotSupportedException)
        {
            throw new InvalidDataException($"Model {source} could not be loaded: {e.Message}", e);
        }
    }

    /// <summary>
    /// A deterministic split by row position: test = rows whose 0-based index % <paramref name="folds"/> equals
    /// <paramref name="testFold"/>, train = the rest. Streams the source; no shuffling, so reruns give the same split.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Catalog methods are instance methods, as in ML.NET.")]
    public (IDataView Train, IDataView Test) SplitByRowIndex(IDataView data, int folds = 5, int testFold = 4)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (folds < 2)
            throw new ArgumentOutOfRangeException(nameof(folds), folds, "folds must be at least 2.");
        if (testFold < 0 || testFold >= folds)
            throw new ArgumentOutOfRangeException(nameof(testFold), testFold, $"testFold must be in [0, {folds - 1}].");
        return (new Data.RowIndexFilterDataView(data, i => i % folds != testFold),
                new Data.RowIndexFilterDataView(data, i => i % folds == testFold));
    }

    /// <summary>
    /// k-fold cross-validation, as ML.NET's <c>BinaryClassification.CrossValidate</c>: the rows are split into
    /// <paramref name="numberOfFolds"/> folds (ML.NET's <c>CrossValidationSplit</c>), the estimator is fitted on all
    /// folds but one and scored on that one, for each fold in turn. Returns every fold's model and per-task metrics, and
    /// the mean and standard deviation of every metric over the folds. The folds run one after another.
    /// </summary>
    /// <param name="data">The rows, before the estimator's featurization (the whole pipeline is refitted per fold).</param>
    /// <param name="estimator">A multi-task estimator, or a chain ending in one; other estimators need <paramref name="tasks"/>.</param>
    /// <param name="numberOfFolds">At least 2 and at most the number of rows.</param>
    /// <param name="groupColumnName">
    /// Rows with the same value here (a patient, a user) are kept in one fold, as ML.NET's <c>samplingKeyColumnName</c>;
    /// null assigns rows one by one.
    /// </param>
    /// <param name="seed">Seed of the fold assignment; null uses the MLContext's.</param>
    /// <param name="tasks">The tasks to evaluate; null reads them from <paramref name="estimator"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than 2 folds, more folds than rows, or a fold left without rows.</exception>
    /// <exception cref="ArgumentException">The grouping column is not in the data.</exception>
    public MultiTaskCrossValidationResult CrossValidate(IDataView data, IEstimator<ITransformer> estimator, int numberOfFolds = 5,
        string? groupColumnName = null, int? seed = null, IEnumerable<TaskColumn>? tasks = null) =>
        CrossValidator.Run(Context, data, estimator, tasks?.ToArray(), numberOfFolds, groupColumnName, seed);

    /// <summary>
    /// Evaluates every task of scored data with ML.NET's own evaluators (binary, multiclass, regression), reading
    /// each task's <c>{task}.Score</c> / <c>.Probability</c> / <c>.PredictedLabel</c> columns.
    /// Works on the output of a fitted or of a loaded model.
    /// </summary>
    /// <param name="predictions">Scored data that still holds the label columns.</param>
    /// <param name="tasks">The tasks; kinds are read from the scored columns when not given.</param>
    public MultiTaskMetrics Evaluate(IDataView predictions, IEnumerable<TaskColumn> tasks)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(tasks);
        return MultiTaskEvaluator.Evaluate(Context, predictions, tasks.ToArray());
    }

    /// <summary>Evaluates tasks named after their label columns (see <see cref="Evaluate(IDataView, IEnumerable{TaskColumn})"/>).</summary>
    public MultiTaskMetrics Evaluate(IDataView predictions, params string[] labelColumnNames)
    {
        ArgumentNullException.ThrowIfNull(labelColumnNames);
        return Evaluate(predictions, labelColumnNames.Select(TaskColumn.FromLabelColumnName));
    }
}

/// <summary>Entry point: <c>mlContext.MultiTask()</c>.</summary>
public static class MultiTaskCatalogExtensions
{
    /// <summary>The multi-task catalog of this context.</summary>
    public static MultiTaskCatalog MultiTask(this MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        return new MultiTaskCatalog(mlContext);
    }
}
