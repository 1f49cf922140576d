using System.Security.Cryptography;
using System.Runtime.InteropServices;
using Mta.Models.Architectures.SetAttention;
using Mta.Models.Data;
using Mta.Models.Options;
using Mta.Models.Tasks;
using Mta.Models.Tasks.Heads;

namespace Mta.Models.Training;

/// <summary>
/// The one pass over a streamed source before training: feature and regression-target statistics, the labels'
/// validity, the validation hold-out, a sample for the report, and a hash of every row for checkpoints. Memory use is
/// bounded by the hold-out and sample caps, not by the number of rows.
/// </summary>
internal sealed class StreamingPass
{
    /// <summary>Rows sampled for the model report's mean attention.</summary>
    public const int ReportRows = 50_000;

    public required Standardization InputScaling { get; init; }
    public required IReadOnlyList<(float Mean, float Scale)> TargetScaling { get; init; }

    /// <summary>Per multiclass task, the share of each class among the training labels (null for other kinds).</summary>
    public required IReadOnlyList<float[]?> ClassPriors { get; init; }
    public required long TrainingRows { get; init; }
    public required IReadOnlySet<long> HeldOut { get; init; }
    public required MultiTaskData? Validation { get; init; }
    public required MultiTaskData ReportSample { get; init; }
    public required string DataHash { get; init; }

    /// <summary>The pass; the input statistics are per feature, or per item value for sets of items.</summary>
    public static StreamingPass Run(IMultiTaskRowSource source, IReadOnlyList<TaskSpec> tasks, TrainingOptions options, NetworkOptions network, bool holdOut, CancellationToken ct)
    {
        int d = source.FeatureCount;
        var features = new InputStatistics(d, ItemLayout.Of(network));
        var labelStatistics = tasks.Select(t => TaskHeads.For(t).NewLabelStatistics(t)).ToArray();
        var presentPerTask = new long[tasks.Count];
        var heldOut = new HashSet<long>();
        var validation = new ChunkCollector(d, tasks.Count);
        var sample = new ChunkCollector(d, tasks.Count);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long rows = 0, trainingRows = 0;
        foreach (var chunk in source.ReadChunks(options.StreamingChunkRows, ct))
        {
            if (chunk.FeatureCount != d)
                throw new ArgumentException($"A chunk of the row source has {chunk.FeatureCount} features per row, the source says {d}.", nameof(source));
            chunk.Validate(tasks, requireEveryTask: false);
            ItemIds.Check(chunk, network, "training data", rows);
            hash.AppendData(MemoryMarshal.AsBytes(chunk.Features.AsSpan()));
            foreach (var labels in chunk.Labels)
                hash.AppendData(MemoryMarshal.AsBytes(labels.AsSpan()));
            for (int r = 0; r < chunk.RowCount; r++, rows++)
            {
                if (!chunk.Labels.Any(l => !float.IsNaN(l[r])))
                    continue;
                var rowFeatures = chunk.Features.AsSpan(r * d, d);
                if (holdOut && validation.Rows < options.StreamingValidationRows && IsHeldOut(rows, options))
                {
                    heldOut.Add(rows);
                    validation.Add(rowFeatures, chunk.Labels, r);
                    continue;
                }
                trainingRows++;
                features.AddRows(rowFeatures);
                for (int k = 0; k < tasks.Count; k++)
                {
                    float y = chunk.Labels[k][r];
                    if (float.IsNaN(y))
                        continue;
                    presentPerTask[k]++;
                    labelStatistics[k].Add(y);
                }
                if (sample.Rows < ReportRows)
                    sample.Add(rowFeatures, chunk.Labels, r);
            }
        }
        if (trainingRows == 0)
            throw new ArgumentException("The training data has no rows with a label.", nameof(source));
        for (int k = 0; k < tasks.Count; k++)
        {
            if (presentPerTask[k] == 0)
                throw new ArgumentException($"Task '{tasks[k].Name}': every label is missing; there is nothing to learn.", nameof(tasks));
        }
        return new StreamingPass
        {
            InputScaling = features.ToStandardization(),
            TargetScaling = labelStatistics.Select(s => s.TargetScaling).ToArray(),
            ClassPriors = labelStatistics.Select(s => s.ClassPriors).ToArray(),
            TrainingRows = trainingRows,
            HeldOut = heldOut,
            Validation = validation.Rows >= 8 ? validation.ToData() : null,
            ReportSample = sample.ToData(),
            DataHash = Convert.ToHexString(hash.GetHashAndReset()),
        };
    }

    /// <summary>A seeded hash of the row index in [0, 1): the same rows are held out on every pass and every run.</summary>
    private static bool IsHeldOut(long row, TrainingOptions options)
    {
        ulong x = (ulong)row * 0x9E3779B97F4A7C15UL ^ (ulong)(uint)(options.Seed ?? TrainingOptions.DefaultSeed) * 0xBF58476D1CE4E5B9UL;
        x ^= x >> 31;
        x *= 0x94D049BB133111EBUL;
        x ^= x >> 29;
        return (x >> 11) * (1.0 / (1UL << 53)) < options.ValidationFraction;
    }

    /// <summary>Rows copied out of chunks into growing arrays (the hold-out and the report sample, both capped).</summary>
    private sealed class ChunkCollector(int featureCount, int taskCount)
    {
        private readonly List<float> _features = [];
        private readonly List<float>[] _labels = Enumerable.Range(0, taskCount).Select(_ => new List<float>()).ToArray();

        public int Rows { get; private set; }

        public void Add(ReadOnlySpan<float> features, IReadOnlyList<float[]> labels, int row)
        {
            foreach (float v in features)
                _features.Add(v);
            for (int k = 0; k < _labels.Length; k++)
                _labels[k].Add(labels[k][row]);
            Rows++;
        }

        public MultiTaskData ToData() => new([.. _features], featureCount, _labels.Select(l => l.ToArray()).ToArray());
    }
}
