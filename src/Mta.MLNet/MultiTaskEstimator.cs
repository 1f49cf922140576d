using Microsoft.ML;
using Microsoft.ML.Data;
using Mta.MLNet.Data;
using Mta.MLNet.Schema;
using Mta.MLNet.Scoring;
using Mta.Models.Tasks;
using Mta.Models.Training;

namespace Mta.MLNet;

/// <summary>
/// Trains one multi-task network (shared experts + per-task attention, or MMoE gates, or shared-bottom) on
/// several label columns at once. Create it with <c>mlContext.MultiTask().Attention(...)</c>.
/// </summary>
/// <remarks>
/// Rows are read once into memory (or streamed, see <see cref="MultiTaskOptions.Streaming"/>). With
/// <c>Architecture.SetAttention</c> the feature column may be a variable-length vector: each row is a set of items
/// of <c>ItemWidth</c> values (it is read once more to find the longest row). A missing label (NaN, or key 0) only removes that task's loss for the row;
/// a row with no label at all is skipped. Non-finite feature values are replaced by the training mean.
/// </remarks>
public sealed class MultiTaskEstimator : IEstimator<MultiTaskTransformer>
{
    private readonly MLContext _mlContext;
    private readonly MultiTaskOptions _options;

    internal MultiTaskEstimator(MLContext mlContext, MultiTaskOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _mlContext = mlContext;
        _options = options;
        // Bad options fail here, before any data is read or any training starts.
        ArgumentException.ThrowIfNullOrWhiteSpace(options.FeatureColumnName, nameof(options.FeatureColumnName));
        TaskResolver.CheckTaskList(options.Tasks?.ToArray(), nameof(options));
        if (options.ScoringBatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.ScoringBatchSize, "ScoringBatchSize must be at least 1.");
        ArgumentNullException.ThrowIfNull(options.Network, nameof(options.Network));
        ArgumentNullException.ThrowIfNull(options.Training, nameof(options.Training));
        options.Network.Validate();
        options.Training.Validate();
    }

    /// <summary>The options this estimator trains with.</summary>
    public MultiTaskOptions Options => _options;

    /// <inheritdoc />
    public MultiTaskTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int? itemWidth = FeatureLayout.ItemWidthOf(_options.Network);
        TaskResolver.CheckFeatures(input.Schema, _options.FeatureColumnName, itemWidth);
        var tasks = TaskResolver.Resolve(input.Schema, [.. _options.Tasks]);
        var specs = tasks.Select(t => t.Spec).ToArray();
        var layout = FeatureLayout.Resolve(input, _options.FeatureColumnName, itemWidth, "training data");

        var validation = _options.ValidationData is null ? null
            : TrainingDataReader.Read(_options.ValidationData, FeatureLayout.Resolve(_options.ValidationData, _options.FeatureColumnName, itemWidth, "validation data"),
                tasks, "validation data");

        using var model = _options.Streaming
            ? MultiTaskTrainer.TrainStreaming(specs, new DataViewRowSource(input, layout, tasks), validation,
                _options.Network, _options.Training, _options.Progress, _options.CancellationToken)
            : MultiTaskTrainer.Train(specs, TrainingDataReader.Read(input, layout, tasks, "training data"), validation,
                _options.Network, _options.Training, _options.Progress, _options.CancellationToken);
        var batched = model.ExportOnnx(OnnxLayouts.Batched(_options.FeatureColumnName, specs));
        // ML.NET's OnnxTransformer feeds a fixed-size column only to a fixed input dim, a variable-length one only to a symbolic dim.
        var singleRow = model.ExportOnnx(OnnxLayouts.SingleRow(_options.FeatureColumnName, specs) with { RowWidth = itemWidth is null || layout.IsVariable ? null : layout.Width });
        var chain = MlNetScoringChain.Build(_mlContext, input, _options.FeatureColumnName, specs, singleRow);
        return new MultiTaskTransformer(chain, layout, specs, batched, singleRow, model.Report, _options.ScoringBatchSize, _options.ScoringDevice ?? ScoringDevice.Cpu);
    }

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var features = Find(inputSchema, _options.FeatureColumnName, "Feature");
        bool sets = FeatureLayout.ItemWidthOf(_options.Network) is not null;
        bool vector = features.Kind == SchemaShape.Column.VectorKind.Vector || (sets && features.Kind == SchemaShape.Column.VectorKind.VariableVector);
        if (!vector || features.ItemType != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException(nameof(inputSchema),
                $"Feature column '{_options.FeatureColumnName}' must be a {(sets ? "" : "known-size ")}vector of Single, but it is {Describe(features)}.");
        var tasks = new List<(string, TaskKind, string)>();
        foreach (var task in _options.Tasks)
        {
            var label = Find(inputSchema, task.LabelColumnName, "Label");
            var kind = task.Kind ?? InferKind(label)
                ?? throw new ArgumentOutOfRangeException(nameof(inputSchema),
                    $"Label column '{task.LabelColumnName}' (task '{task.Name}') is {Describe(label)}; supported: Boolean (binary), key (multiclass), Single or Double (regression).");
            tasks.Add((task.Name, kind, task.LabelColumnName));
        }
        return OutputSchemaShape.Create(_mlContext, inputSchema, _options.FeatureColumnName, tasks);
    }

    private static TaskKind? InferKind(SchemaShape.Column label)
    {
        if (label.Kind != SchemaShape.Column.VectorKind.Scalar)
            return null;
        if (label.IsKey)
            return TaskKind.Multiclass;
        if (label.ItemType is BooleanDataViewType)
            return TaskKind.Binary;
        return label.ItemType == NumberDataViewType.Single || label.ItemType == NumberDataViewType.Double ? TaskKind.Regression : null;
    }

    private static SchemaShape.Column Find(SchemaShape schema, string name, string role) =>
        schema.FirstOrDefault(c => c.Name == name) is { Name: not null } column ? column
            : throw new ArgumentOutOfRangeException(nameof(schema),
                $"{role} column '{name}' was not found in the input schema. Available columns: {string.Join(", ", schema.Select(c => c.Name))}.");

    private static string Describe(SchemaShape.Column column) =>
        $"{column.Kind} of {column.ItemType}{(column.IsKey ? " (key)" : "")}";
}
