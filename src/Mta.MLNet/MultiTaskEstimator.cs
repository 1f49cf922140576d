using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Mta.MLNet.Data;
using Mta.MLNet.Hosting;
using Mta.MLNet.Schema;
using Mta.MLNet.Scoring;
using Mta.Models.Data;
using Mta.Models.Options;
using Mta.Models.Tasks;
using Mta.Models.Training;
using Mta.Models.Weighting;

namespace Mta.MLNet;

/// <summary>
/// Trains one multi-task network (shared experts + per-task attention, or MMoE gates, or shared-bottom) on
/// several label columns at once. Create it with <c>mlContext.MultiTask().Attention(...)</c>.
/// </summary>
/// <remarks>
/// Rows are read once into memory (or streamed, see <see cref="MultiTaskOptions.Streaming"/>). With
/// <c>Architecture.SetAttention</c> the feature column may be a variable-length vector: each row is its
/// <c>Set.RowFeatureCount</c> row features, then a set of items of <c>Set.ItemWidth</c> values (it is read once more to find
/// the longest row). A missing label (NaN, or key 0) only removes that task's loss for the row;
/// a row with no label at all is skipped. Non-finite feature values are replaced by the training mean.
/// <para>Seed: <c>TrainingOptions.Seed</c> when set, else the MLContext's seed (<c>new MLContext(seed: 7)</c> trains the
/// same model as <c>Seed = 7</c>), else 42, so that <c>new MLContext()</c> too gives the same model on every run.
/// Every epoch is written to <c>mlContext.Log</c> (source <c>MultiTask</c>) as well as to <see cref="MultiTaskOptions.Progress"/>.</para>
/// <para>Training needs a native libtorch in the app (TorchSharp-cpu, or one libtorch-cpu-&lt;rid&gt;); without one, Fit
/// throws <see cref="InvalidOperationException"/> naming the package before reading any data. Scoring needs none.</para>
/// </remarks>
public sealed class MultiTaskEstimator : IEstimator<MultiTaskTransformer>
{
    private readonly MLContext _mlContext;
    private readonly MultiTaskOptions _options;
    // The option groups validated at construction. They are immutable records, so while Options still holds these
    // instances Fit tells the trainer they are valid; a group replaced since is validated by the trainer.
    private readonly NetworkOptions _checkedNetwork;
    private readonly TrainingOptions _checkedTraining;

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
        _checkedNetwork = options.Network;
        _checkedTraining = options.Training;
    }

    /// <summary>The options this estimator trains with.</summary>
    public MultiTaskOptions Options => _options;

    /// <inheritdoc />
    public MultiTaskTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        // Before any data is read: an app without a native libtorch learns which package to add.
        NativeLibTorch.EnsureLoaded();
        var training = ContextSeed.Apply(_mlContext, _options.Training);
        var device = DeviceChoice.Resolve(_mlContext, _options.ScoringDevice);
        DeviceChoice.CheckBeforeTraining(_mlContext, device);
        var items = ItemLayout.Of(_options.Network);
        TaskResolver.CheckFeatures(input.Schema, _options.FeatureColumnName, items);
        var tasks = TaskResolver.Resolve(input.Schema, [.. _options.Tasks]);
        var specs = tasks.Select(t => t.Spec).ToArray();
        var layout = FeatureLayout.Resolve(input, _options.FeatureColumnName, items, "training data");
        var network = WithKeyVocabulary(_options.Network, layout);

        FeatureLayout? validationLayout = _options.ValidationData is null ? null
            : FeatureLayout.Resolve(_options.ValidationData, _options.FeatureColumnName, items, "validation data");
        if (validationLayout is not null && validationLayout.KeyCount != layout.KeyCount)
            throw new ArgumentOutOfRangeException(nameof(input),
                $"Feature column '{layout.ColumnName}' has {validationLayout.KeyCount?.ToString(CultureInfo.InvariantCulture) ?? "no"} keys in the validation data and " +
                $"{layout.KeyCount?.ToString(CultureInfo.InvariantCulture) ?? "no"} in the training data; featurize both with the same fitted transforms.");
        var validation = validationLayout is null ? null : TrainingDataReader.Read(_options.ValidationData!, validationLayout, tasks, "validation data");

        // WithKeyVocabulary only fills in a key count (ML.NET keys count from 1), which keeps a valid network valid;
        // the context's seed only fills in an unset seed, which keeps valid training options valid.
        bool optionsChecked = ReferenceEquals(_options.Network, _checkedNetwork) && ReferenceEquals(_options.Training, _checkedTraining);
        using var log = new TrainingLog(_mlContext, "Training", specs, training.Epochs, training.LossWeighting != LossWeightingKind.Fixed, _options.Progress);
        log.Info(string.Create(CultureInfo.InvariantCulture,
            $"Training {network.Architecture} on {specs.Length} tasks ({string.Join(", ", specs.Select(t => t.Name))}), {layout.Width} features, seed {training.Seed}."));
        using var model = _options.Streaming
            ? MultiTaskTrainer.TrainStreaming(specs, new DataViewRowSource(input, layout, tasks), validation,
                network, training, optionsChecked, log, _options.CancellationToken)
            : MultiTaskTrainer.Train(specs, TrainingDataReader.Read(input, layout, tasks, "training data"), validation,
                network, training, optionsChecked, log, _options.CancellationToken);
        var singleRow = SingleRowGraph.From(model.ExportOnnx(OnnxLayouts.Export(_options.FeatureColumnName, specs)),
            [.. OnnxLayouts.SingleRowColumns(specs)], items is null || layout.IsVariable ? null : layout.Width, layout.KeyCount is not null);
        var batched = OnnxLayouts.Batched(singleRow, specs);
        var chain = MlNetScoringChain.Build(DeviceChoice.ForMlNetSteps(_mlContext), input, _options.FeatureColumnName, specs, singleRow);
        return new MultiTaskTransformer(chain, layout, specs, batched, singleRow, model.Report, _options.ScoringBatchSize, device, _mlContext.FallbackToCpu);
    }

    /// <summary>A vector of keys as item ids: the table has a row per key unless the options ask for more.</summary>
    private static NetworkOptions WithKeyVocabulary(NetworkOptions network, FeatureLayout layout)
    {
        if (layout.KeyCount is not int keys)
            return network;
        if (network.Set.ItemVocabularySize is int size && size < keys)
            throw new ArgumentOutOfRangeException(nameof(network),
                $"Feature column '{layout.ColumnName}' has {keys} keys, but Set.ItemVocabularySize is {size}; leave it unset to use the key count.");
        return network with { Set = network.Set with { ItemVocabularySize = network.Set.ItemVocabularySize ?? keys } };
    }

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var features = Find(inputSchema, _options.FeatureColumnName, "Feature");
        var setLayout = ItemLayout.Of(_options.Network);
        bool sets = setLayout is not null;
        bool vector = features.Kind == SchemaShape.Column.VectorKind.Vector || (sets && features.Kind == SchemaShape.Column.VectorKind.VariableVector);
        bool ids = setLayout is { ItemWidth: 1, RowFeatures: 0 } && features.IsKey;   // item ids as keys
        if (!vector || (features.ItemType != NumberDataViewType.Single && !ids))
            throw new ArgumentOutOfRangeException(nameof(inputSchema),
                $"Feature column '{_options.FeatureColumnName}' must be a {(sets ? "" : "known-size ")}vector of Single, but it is {Describe(features)}.");
        var tasks = new List<(string, TaskKind, string)>();
        foreach (var task in _options.Tasks)
        {
            var label = Find(inputSchema, task.LabelColumnName, "Label");
            var kind = task.Kind
                ?? (label.Kind == SchemaShape.Column.VectorKind.Scalar ? TaskResolver.InferKind(label.ItemType, label.IsKey) : null)
                ?? throw new ArgumentOutOfRangeException(nameof(inputSchema),
                    $"Label column '{task.LabelColumnName}' (task '{task.Name}') is {Describe(label)}; supported: Boolean (binary), key (multiclass), Single or Double (regression).");
            tasks.Add((task.Name, kind, task.LabelColumnName));
        }
        return OutputSchemaShape.Create(_mlContext, inputSchema, _options.FeatureColumnName, tasks);
    }

    private static SchemaShape.Column Find(SchemaShape schema, string name, string role) =>
        schema.FirstOrDefault(c => c.Name == name) is { Name: not null } column ? column
            : throw new ArgumentOutOfRangeException(nameof(schema),
                $"{role} column '{name}' was not found in the input schema. Available columns: {string.Join(", ", schema.Select(c => c.Name))}.");

    private static string Describe(SchemaShape.Column column) =>
        $"{column.Kind} of {column.ItemType}{(column.IsKey ? " (key)" : "")}";
}
