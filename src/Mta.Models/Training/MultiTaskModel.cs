using TorchSharp;
using Mta.Models.Modules;
using Mta.Models.Onnx;
using Mta.Models.Options;
using Mta.Models.Reports;
using Mta.Models.Tasks;
using Mta.Models.Tasks.Heads;
using Mta.Models.TorchSharpFixes;
using static TorchSharp.torch;

namespace Mta.Models.Training;

/// <summary>
/// A trained multi-task network: predicts in TorchSharp and exports itself to ONNX. Owns native memory:
/// dispose it when done.
/// </summary>
public sealed class MultiTaskModel : IDisposable
{
    private const int PredictChunk = 8192;
    private readonly MultiTaskNetwork _network;

    internal MultiTaskModel(
        MultiTaskNetwork network, IReadOnlyList<TaskSpec> tasks, NetworkOptions networkOptions, TrainingOptions trainingOptions,
        IReadOnlyList<(float Mean, float Scale)> targetScaling, IReadOnlyList<EpochReport> history, IReadOnlyList<double> lossWeights,
        IReadOnlyList<float[]?> classPriors)
    {
        ClassPriors = classPriors.ToArray();
        _network = network;
        Tasks = tasks.ToArray();
        NetworkOptions = networkOptions;
        TrainingOptions = trainingOptions;
        TargetScaling = targetScaling.ToArray();
        History = history.ToArray();
        LossWeights = lossWeights.ToArray();
    }

    /// <summary>The tasks, in output order.</summary>
    public IReadOnlyList<TaskSpec> Tasks { get; }

    /// <summary>Number of input features d per row (for sets of items: the longest training row, which is not a limit).</summary>
    public int FeatureCount => _network.InputWidth;

    /// <summary>
    /// Values per item when rows are sets of items (<see cref="Architecture.SetAttention"/>): rows may then have any
    /// multiple of it, and the attention output has one weight per item. Null for fixed-width rows.
    /// </summary>
    public int? ItemWidth => _network.Layout?.ItemWidth;

    /// <summary>For sets of items, the per-row values before the items (<see cref="SetOptions.RowFeatureCount"/>); 0 otherwise.</summary>
    public int RowFeatureCount => _network.Layout?.RowFeatures ?? 0;

    /// <summary>
    /// Width W of each task's attention output (experts for global attention and gates, mask units for local attention,
    /// cells for images; for sets, the items of the longest training row: a row's own output has one per item).
    /// </summary>
    public int AttentionWidth => _network.Encoder.AttentionWidth;

    /// <summary>The network shape it was trained with.</summary>
    public NetworkOptions NetworkOptions { get; }

    /// <summary>The training settings it was trained with.</summary>
    public TrainingOptions TrainingOptions { get; }

    /// <summary>Per task, the (mean, scale) used to standardize regression targets ((0, 1) for other kinds).</summary>
    public IReadOnlyList<(float Mean, float Scale)> TargetScaling { get; }

    /// <summary>Per task, each class's share of the training labels (multiclass tasks; null for the others).</summary>
    public IReadOnlyList<float[]?> ClassPriors { get; }

    /// <summary>Task <paramref name="k"/> as its head's readout needs it.</summary>
    internal TrainedTask Trained(int k) => new(Tasks[k], TargetScaling[k], ClassPriors[k], TrainingOptions.MulticlassDecision);

    /// <summary>One report per epoch trained.</summary>
    public IReadOnlyList<EpochReport> History { get; }

    /// <summary>Final loss weight of each task.</summary>
    public IReadOnlyList<double> LossWeights { get; }

    /// <summary>Mean attention per task and source on the training rows, task affinity, loss weights and training curves.</summary>
    public MultiTaskReport Report { get; internal set; } = null!;

    internal MultiTaskNetwork Network => _network;

    /// <summary>
    /// Predicts every task for <paramref name="rows"/> rows of row-major features (TorchSharp, no dropout). For sets
    /// of items the rows may have any number of items after the row features (pad shorter rows with all-NaN items),
    /// and each task's attention has one weight per item of that width.
    /// </summary>
    public IReadOnlyList<TaskPrediction> Predict(float[] features, int rows)
    {
        ArgumentNullException.ThrowIfNull(features);
        int width = RowWidth(features, rows);
        int taskCount = Tasks.Count, experts = _network.Layout is { } layout ? layout.Items(width) : AttentionWidth;
        var score = new float[taskCount][];
        var probabilities = new float[taskCount][];
        var predicted = new long[taskCount][];
        var attention = new float[taskCount][];
        var heads = Tasks.Select(t => TaskHeads.For(t)).ToArray();
        var trained = Enumerable.Range(0, taskCount).Select(Trained).ToArray();
        for (int k = 0; k < taskCount; k++)
        {
            score[k] = heads[k].HasScore ? new float[rows] : [];
            probabilities[k] = heads[k].ProbabilityWidth(Tasks[k]) > 0 ? new float[(long)rows * heads[k].ProbabilityWidth(Tasks[k])] : [];
            predicted[k] = heads[k].HasPredictedIndex ? new long[rows] : [];
            attention[k] = new float[(long)rows * experts];
        }

        _network.eval();
        using var noGrad = no_grad();
        for (int start = 0; start < rows; start += PredictChunk)
        {
            using var scope = NewDisposeScope();
            int size = Math.Min(PredictChunk, rows - start);
            using var x = tensor(features.AsSpan(start * width, size * width).ToArray(), [size, width]);
            var output = _network.forward(x);
            for (int k = 0; k < taskCount; k++)
            {
                var (taskScore, taskProbabilities, taskPredicted) = heads[k].Predict(trained[k], output.Heads[k]);
                if (taskScore is not null)
                    Copy(taskScore, score[k], start);
                if (taskProbabilities is not null)
                    Copy(taskProbabilities, probabilities[k], start * heads[k].ProbabilityWidth(Tasks[k]));
                if (taskPredicted is not null)
                    Copy(taskPredicted, predicted[k], start);
                Copy(output.Attention.select(1, k), attention[k], start * experts);
            }
        }

        return Tasks.Select((t, k) => new TaskPrediction(
            t,
            heads[k].HasScore ? score[k] : null,
            heads[k].ProbabilityWidth(t) > 0 ? probabilities[k] : null,
            heads[k].HasPredictedIndex ? predicted[k] : null,
            attention[k])).ToArray();
    }

    private int RowWidth(float[] features, int rows)
    {
        int values = features.Length;
        if (_network.Layout is not { } layout)
        {
            if (values != (long)rows * FeatureCount)
                throw new ArgumentException($"Expected {rows} × {FeatureCount} feature values, got {values}.", nameof(features));
            return FeatureCount;
        }
        if (rows == 0 && values == 0)
            return FeatureCount;
        if (rows < 1 || values % rows != 0 || !layout.Fits(values / rows))
            throw new ArgumentException($"{values} feature values are not {rows} rows of {layout.Expected}.", nameof(features));
        return values / rows;
    }

    /// <summary>Exports the network as an ONNX model (see <see cref="OnnxExportOptions"/> for names and shapes).</summary>
    public byte[] ExportOnnx(OnnxExportOptions? options = null) => MultiTaskOnnxExporter.Export(this, options ?? new OnnxExportOptions());

    /// <inheritdoc />
    public void Dispose() => _network.Dispose();

    private static void Copy<T>(Tensor source, T[] destination, long offset) where T : unmanaged
    {
        if (source.numel() == 0)
            return;                                     // a set model's attention for rows without items
        using var contiguous = source.contiguous();
        contiguous.data<T>().CopyTo(destination, checked((int)offset));
    }
}
