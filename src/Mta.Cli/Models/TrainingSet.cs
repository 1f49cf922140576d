using Microsoft.ML;
using Microsoft.ML.Data;
using Mta.Cli.Data;
using Mta.MLNet;
using Spectre.Console;

namespace Mta.Cli.Models;

/// <summary>
/// A labelled file made ready for training, the same way for <c>train</c> and <c>experiment</c>: column types inferred,
/// labels resolved and keyed, and the featurizer (one-hot for text, then one feature vector) described.
/// </summary>
internal sealed class TrainingSet
{
    /// <summary>The file's columns as read, before multiclass labels are keyed.</summary>
    private readonly IDataView _read;

    private TrainingSet(DataFile dataset, InferredColumns inferred, ColumnRequest[] requests, IDataView read, IDataView data, BadRowLog badRows)
    {
        Dataset = dataset;
        Inferred = inferred;
        Requests = requests;
        _read = read;
        Data = data;
        BadRows = badRows;
        FeatureColumn = requests.Any(r => r.Name == "Features") ? "mta.Features" : "Features";
    }

    public DataFile Dataset { get; }

    public InferredColumns Inferred { get; }

    public IReadOnlyList<ColumnRequest> Requests { get; }

    /// <summary>The rows, labels as the estimator wants them (binary 1/0/NaN, multiclass keys, regression numbers).</summary>
    public IDataView Data { get; }

    public BadRowLog BadRows { get; }

    public string FeatureColumn { get; }

    public IReadOnlyList<TaskColumn> Tasks => Inferred.Labels.Select(Labels.Task).ToArray();

    /// <param name="groupColumn">
    /// A column read as text beside the features and labels (not a feature, not in <see cref="InputSchema"/>) that
    /// keeps rows together in cross-validation folds: <c>--group</c>.
    /// </param>
    public static TrainingSet Prepare(IAnsiConsole console, MLContext ml, DataFile dataset, string[] labelArgs, string[] ignored, BadRowPolicy policy,
        string? groupColumn = null)
    {
        var labelSpecs = labelArgs.Select(LabelSpec.Parse).ToArray();
        if (groupColumn is not null)
        {
            var names = TableReader.ColumnNamesOf(dataset);
            if (!names.Contains(groupColumn))
                throw CliException.BadInput($"--group '{groupColumn}': {dataset} has no such column. The file has: {string.Join(", ", names)}.");
            if (labelSpecs.Any(l => l.Column == groupColumn))
                throw CliException.Usage($"--group '{groupColumn}' is also a --label.");
            ignored = [.. ignored.Append(groupColumn).Distinct()];
        }
        var inferred = ColumnInference.Infer(dataset, labelSpecs, ignored, policy);
        foreach (var note in inferred.Notes)
            console.MarkupLine($"[yellow]note:[/] {Markup.Escape(note)}");
        console.MarkupLine($"Tasks: {Markup.Escape(string.Join(", ", inferred.Labels.Select(Describe)))}");
        console.MarkupLine($"Features: {inferred.NumericFeatures.Count} numeric, {inferred.TextFeatures.Count} text (one-hot)");
        var requests = inferred.NumericFeatures.Select(f => new ColumnRequest(f, ColumnType.Single))
            .Concat(inferred.TextFeatures.Select(f => new ColumnRequest(f, ColumnType.Text)))
            .Concat(inferred.Labels.Select(Labels.Request)).ToArray();
        var badRows = new BadRowLog();
        var view = new TableDataView(dataset, groupColumn is null ? requests : [.. requests, new ColumnRequest(groupColumn, ColumnType.Text)], RowFilter.All, policy, badRows);
        return new TrainingSet(dataset, inferred, requests, view, Labels.ToKeys(ml, view, inferred.Labels), badRows);
    }

    /// <summary>The same rows with the labels keyed as <paramref name="labels"/> say (the same columns, other class orders).</summary>
    public TrainingSet WithLabels(MLContext ml, IReadOnlyList<ResolvedLabel> labels) =>
        new(Dataset, Inferred with { Labels = labels }, [.. Requests], _read, Labels.ToKeys(ml, _read, labels), BadRows);

    /// <summary>
    /// One-hot encoding of the text features in place, then every feature concatenated into <see cref="FeatureColumn"/>
    /// in the file's column order: the pipeline one writes with ML.NET for the file (Concatenate of the columns as they
    /// come), so that with the same options the network is the one <c>mlContext.MultiTask().Attention</c> trains on it.
    /// A saved model replays its own Concatenate, so files written with another order still score as trained.
    /// </summary>
    public IEstimator<ITransformer> Featurizer(MLContext ml) => Inferred.TextFeatures.Count == 0
        ? ml.Transforms.Concatenate(FeatureColumn, [.. Inferred.Features])
        : ml.Transforms.Categorical.OneHotEncoding([.. Inferred.TextFeatures.Select(t => new InputOutputColumnPair(t))])
            .Append(ml.Transforms.Concatenate(FeatureColumn, [.. Inferred.Features]));

    /// <summary>The raw columns the saved model reads (labels included, as they are in the file), without the row index.</summary>
    public DataViewSchema InputSchema()
    {
        var builder = new DataViewSchema.Builder();
        foreach (var request in Requests)
            builder.AddColumn(request.Name, (request.Positive is null ? request.Type : ColumnType.Text).ToDataViewType());
        return builder.ToSchema();
    }

    /// <param name="trainedOn">Which rows the saved model learned from, in words (all rows, or the rule).</param>
    /// <param name="evaluatedOn">Which rows the printed metrics are from, in words.</param>
    public CliModelInfo Info(IReadOnlyList<string> ignored, int trainingRows, int validationRows, string? trainedOn = null, string? evaluatedOn = null) =>
        new(Path.GetFileName(Dataset.Path), DateTimeOffset.UtcNow, Inferred.Labels, Inferred.NumericFeatures, Inferred.TextFeatures, ignored, trainingRows, validationRows,
            trainedOn, evaluatedOn, Inferred.Features);

    public static int CountRows(IDataView data)
    {
        int rows = 0;
        using var cursor = data.GetRowCursor([]);
        while (cursor.MoveNext())
            rows++;
        return rows;
    }

    private static string Describe(ResolvedLabel label) => label.Kind switch
    {
        Mta.Models.Tasks.TaskKind.Binary => $"{label.Column} (binary, positive = '{label.Positive}')",
        Mta.Models.Tasks.TaskKind.Multiclass => $"{label.Column} ({label.Classes!.Count} classes)",
        _ => $"{label.Column} (regression)",
    };
}
