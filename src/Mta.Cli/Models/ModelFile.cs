using Microsoft.ML;
using Microsoft.ML.Data;
using Mta.Cli.Data;
using Mta.MLNet;

namespace Mta.Cli.Models;

/// <summary>A model zip as the tool reads it: the ML.NET model (multi-task steps batched), its input schema and info.</summary>
internal sealed class ModelFile : IDisposable
{
    private ModelFile(string path, ITransformer model, DataViewSchema inputSchema, CliModelInfo? info)
    {
        Path = path;
        Model = model;
        InputSchema = inputSchema;
        Info = info;
        MultiTask = Steps(model).OfType<MultiTaskTransformer>().FirstOrDefault()
            ?? throw new CliException(ExitCodes.BadModel, $"Model file '{path}' has no multi-task step (it was not trained with Mta.MLNet).");
    }

    public string Path { get; }

    public ITransformer Model { get; }

    public DataViewSchema InputSchema { get; }

    public CliModelInfo? Info { get; }

    public MultiTaskTransformer MultiTask { get; }

    public static ModelFile Load(MLContext mlContext, string path, int scoringBatchSize, ScoringDevice device)
    {
        if (!File.Exists(path))
            throw new CliException(ExitCodes.BadModel, $"Model file '{path}' does not exist.");
        ITransformer model;
        DataViewSchema schema;
        try
        {
            model = mlContext.MultiTask().Load(path, out schema, scoringBatchSize, device);
        }
        catch (NotSupportedException e)
        {
            throw new CliException(ExitCodes.DeviceUnavailable, e.Message, e);
        }
        catch (InvalidDataException e)
        {
            throw new CliException(ExitCodes.BadModel, e.Message, e);
        }
        return new ModelFile(path, model, schema, CliModelInfo.ReadFrom(path));
    }

    /// <summary>Saves to a temporary file beside <paramref name="path"/>, adds the info, then renames: never a half-written model.</summary>
    public static void Save(MLContext mlContext, ITransformer model, DataViewSchema inputSchema, CliModelInfo info, string path)
    {
        string full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        string temporary = full + ".tmp";
        mlContext.Model.Save(model, inputSchema, temporary);
        info.AppendTo(temporary);
        File.Move(temporary, full, overwrite: true);
    }

    /// <summary>The columns to read from a data file for this model: those of its input schema that the file has.</summary>
    public IReadOnlyList<ColumnRequest> RequestsFor(IReadOnlyList<string> fileColumns, string dataPath)
    {
        var requests = new List<ColumnRequest>();
        foreach (var column in InputSchema)
        {
            if (column.IsHidden || !fileColumns.Contains(column.Name))
                continue;
            var type = ColumnTypes.FromDataViewType(column.Type)
                ?? throw CliException.BadInput($"The model's input column '{column.Name}' is {column.Type}, which the tool cannot read from {dataPath}.");
            requests.Add(new ColumnRequest(column.Name, type));
        }
        if (Info is not null)
        {
            var missing = Info.NumericFeatures.Concat(Info.TextFeatures).Where(f => !fileColumns.Contains(f)).ToArray();
            if (missing.Length > 0)
                throw CliException.BadInput($"{dataPath}: feature column(s) {string.Join(", ", missing.Select(m => $"'{m}'"))} not found. " +
                    $"The file has: {string.Join(", ", fileColumns)}.");
        }
        return requests;
    }

    public void Dispose() => MultiTask.Dispose();

    private static IEnumerable<ITransformer> Steps(ITransformer transformer) => transformer is IEnumerable<ITransformer> chain
        ? chain.SelectMany(Steps)
        : [transformer];
}
