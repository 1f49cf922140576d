using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Mta.MLNet;
using Mta.Models.Options;
using Mta.Models.Tasks;
using Mta.Models.Weighting;

namespace Mta.QualityBenchmark;

/// <summary>
/// The six models of the protocol, then the rest of the family (other architectures and loss weightings, all with
/// otherwise default options), each fitted on train and scored on test.
/// </summary>
internal static class Models
{
    public static readonly string[] Protocol =
        ["LightGBM per task", "FastTree per task", "Ours single-task", "Shared-bottom MT", "MMoE MT", "Attention MT (default)"];

    public static readonly string[] Family =
        ["Local attention MT", "CGC MT", "PLE MT", "DSelect-k MT", "Cross-stitch MT", "Attention + uncertainty", "Attention + DWA", "Attention + GradNorm",
         "Attention + random weights", "Attention + FAMO", "Attention + PCGrad", "Attention + CAGrad", "Attention + MGDA", "Attention + IMTL", "Attention + Aligned-MTL", "Attention + Nash-MTL",
         "Attention MT (balanced)", "Attention MT (plateau schedule)", "Attention MT (standardized inputs)", "Attention MT (no weight averaging)", "Attention MT (dropout 0.2)"];

    /// <summary>Candidates measured during development, defaults and added architectures (rerunnable by name; not in --family).</summary>
    public static readonly string[] Candidates =
        ["Attention MT (epoch ≥ 16 steps)", "Attention MT (epoch ≥ 64 steps)", "Attention MT (one pass per epoch)", "Attention MT (bins always)",
         "Attention MT (batch 128)", "Attention MT (batch 256)", "Attention MT (batch 512)", "Attention MT (batch 512, rate 2e-3)",
         "Attention MT (cosine)", "Attention MT (β₂ 0.95)", "Attention MT (cosine, β₂ 0.95)", "Attention MT (cosine, 24 epochs)", "Attention MT (cosine, 24 epochs, rate 2e-3)",
         "Attention MT (ensemble 4)", "Attention MT (ensemble 8)", "Attention MT (per-task best epoch)", "Attention MT (label smoothing 0.1)",
         "Attention MT (temperature)", "Attention MT (per-task best epoch, temperature)", "Attention MT (label smoothing 0.1, temperature)",
         "Attention MT (no dropout)", "Attention MT (patience 16)", "Attention MT (100 epochs)",
         "Attention MT (robust scaling)", "Attention MT (one member)", "Attention MT (experts [128, 64])",
         "Attention MT (encoding chosen on validation)", "Attention MT (dropout 0.1)", "Attention MT (dropout 0.3)",
         "Attention MT (rate 2e-3)", "Attention MT (rate 5e-4)", "Attention MT (weight decay 1e-4)"];

    public static readonly string[] Names = [.. Protocol, .. Family, .. Candidates];

    /// <summary>
    /// Fits and scores <paramref name="model"/>. Our networks are trained once per seed of <paramref name="seeds"/> and
    /// their metrics averaged (initialization, shuffling and the early-stopping hold-out all follow the seed); the tree
    /// ensembles are deterministic and run once.
    /// </summary>
    public static ModelResult Run(MLContext ml, string model, DatasetSpec dataset, IDataView train, IDataView test, IReadOnlyList<int> seeds)
    {
        if (model is "LightGBM per task" or "FastTree per task")
            return RunOnce(ml, model, dataset, train, test, seed: 0);
        var runs = seeds.Select(seed => RunOnce(ml, model, dataset, train, test, seed)).ToArray();
        return runs.Length == 1 ? runs[0] : ModelResult.Average(runs);
    }

    private static ModelResult RunOnce(MLContext ml, string model, DatasetSpec dataset, IDataView train, IDataView test, int seed) => model switch
    {
        "LightGBM per task" => PerTask(ml, model, dataset, train, test, LightGbm),
        "FastTree per task" => PerTask(ml, model, dataset, train, test, FastTree),
        "Ours single-task" => PerTask(ml, model, dataset, train, test, (ml, name, kind) => ml.MultiTask().Attention(new MultiTaskOptions { Tasks = [new TaskColumn(name, kind)], Training = new TrainingOptions { Seed = seed } })),
        // What a user could do without new code: fit the default and robust scaling, keep the lower validation loss.
        "Attention MT (encoding chosen on validation)" => ChosenOnValidation(ml, model, dataset, train, test, seed,
            [Variant("Attention MT (default)"), Variant("Attention MT (robust scaling)")]),
        _ => MultiTask(ml, model, dataset, train, test, seed, Variant(model)),
    };

    /// <summary>How each multi-task model's options differ from the defaults.</summary>
    private static Action<MultiTaskOptions> Variant(string model) => model switch
    {
        "Shared-bottom MT" => Network(n => n with { Architecture = Architecture.SharedBottom }),
        "MMoE MT" => Network(n => n with { Architecture = Architecture.MixtureOfExperts }),
        "Local attention MT" => Network(n => n with { Architecture = Architecture.LocalAttention }),
        "CGC MT" => Network(n => n with { Architecture = Architecture.Cgc }),
        "PLE MT" => Network(n => n with { Architecture = Architecture.Ple }),
        "DSelect-k MT" => Network(n => n with { Architecture = Architecture.DSelectK }),
        "Cross-stitch MT" => Network(n => n with { Architecture = Architecture.CrossStitch }),
        "Attention + uncertainty" => Training(t => t with { LossWeighting = LossWeightingKind.Uncertainty }),
        "Attention + DWA" => Training(t => t with { LossWeighting = LossWeightingKind.DynamicWeightAverage }),
        "Attention + GradNorm" => Training(t => t with { LossWeighting = LossWeightingKind.GradNorm }),
        "Attention + random weights" => Training(t => t with { LossWeighting = LossWeightingKind.RandomLossWeighting }),
        "Attention + FAMO" => Training(t => t with { LossWeighting = LossWeightingKind.FAMO }),
        "Attention + PCGrad" => Training(t => t with { LossWeighting = LossWeightingKind.PCGrad }),
        "Attention + CAGrad" => Training(t => t with { LossWeighting = LossWeightingKind.CAGrad }),
        "Attention + MGDA" => Training(t => t with { LossWeighting = LossWeightingKind.MGDA }),
        "Attention + IMTL" => Training(t => t with { LossWeighting = LossWeightingKind.IMTL }),
        "Attention + Aligned-MTL" => Training(t => t with { LossWeighting = LossWeightingKind.AlignedMTL }),
        "Attention + Nash-MTL" => Training(t => t with { LossWeighting = LossWeightingKind.NashMTL }),
        "Attention MT (balanced)" => Training(t => t with { MulticlassDecision = MulticlassDecision.Balanced }),
        "Attention MT (plateau schedule)" => Training(t => t with { LearningRateDecay = 0.5 }),
        "Attention MT (standardized inputs)" => Network(n => n with { NumericEncoding = NumericEncoding.Standardized }),
        "Attention MT (no weight averaging)" => Training(t => t with { WeightAverageDecay = 0 }),
        "Attention MT (dropout 0.2)" => Network(n => n with { Dropout = 0.2f }),
        "Attention MT (dropout 0.1)" => Network(n => n with { Dropout = 0.1f }),
        "Attention MT (dropout 0.3)" => Network(n => n with { Dropout = 0.3f }),
        "Attention MT (rate 2e-3)" => Training(t => t with { LearningRate = 2e-3 }),
        "Attention MT (rate 5e-4)" => Training(t => t with { LearningRate = 5e-4 }),
        "Attention MT (weight decay 1e-4)" => Training(t => t with { WeightDecay = 1e-4 }),
        "Attention MT (epoch ≥ 16 steps)" => Training(t => t with { MinimumEpochSteps = 16 }),
        "Attention MT (epoch ≥ 64 steps)" => Training(t => t with { MinimumEpochSteps = 64 }),
        "Attention MT (one pass per epoch)" => Training(t => t with { MinimumEpochSteps = 1 }),
        "Attention MT (bins always)" => Network(n => n with { NumericEncoding = NumericEncoding.PiecewiseLinear }),
        "Attention MT (batch 128)" => Training(t => t with { BatchSize = 128 }),
        "Attention MT (batch 256)" => Training(t => t with { BatchSize = 256 }),
        "Attention MT (batch 512)" => Training(t => t with { BatchSize = 512 }),
        "Attention MT (batch 512, rate 2e-3)" => Training(t => t with { BatchSize = 512, LearningRate = 2e-3 }),
        "Attention MT (cosine)" => Training(t => t with { LearningRateSchedule = LearningRateSchedule.Cosine }),
        "Attention MT (β₂ 0.95)" => Training(t => t with { AdamBeta2 = 0.95 }),
        "Attention MT (cosine, β₂ 0.95)" => Training(t => t with { LearningRateSchedule = LearningRateSchedule.Cosine, AdamBeta2 = 0.95 }),
        "Attention MT (cosine, 24 epochs)" => Training(t => t with { LearningRateSchedule = LearningRateSchedule.Cosine, Epochs = 24 }),
        "Attention MT (cosine, 24 epochs, rate 2e-3)" => Training(t => t with { LearningRateSchedule = LearningRateSchedule.Cosine, Epochs = 24, LearningRate = 2e-3 }),
        "Attention MT (ensemble 4)" => Network(n => n with { EnsembleMembers = 4 }),
        "Attention MT (ensemble 8)" => Network(n => n with { EnsembleMembers = 8 }),
        "Attention MT (one member)" => Network(n => n with { EnsembleMembers = 1 }),
        "Attention MT (per-task best epoch)" => Training(t => t with { PerTaskBestEpoch = true }),
        "Attention MT (temperature)" => Training(t => t with { TemperatureScaling = true }),
        "Attention MT (per-task best epoch, temperature)" => Training(t => t with { PerTaskBestEpoch = true, TemperatureScaling = true }),
        "Attention MT (label smoothing 0.1, temperature)" => Training(t => t with { LabelSmoothing = 0.1, TemperatureScaling = true }),
        "Attention MT (no dropout)" => Network(n => n with { Dropout = 0 }),
        "Attention MT (patience 16)" => Training(t => t with { EarlyStoppingPatience = 16 }),
        "Attention MT (100 epochs)" => Training(t => t with { Epochs = 100 }),
        "Attention MT (robust scaling)" => Network(n => n with { NumericEncoding = NumericEncoding.RobustScaled }),
        "Attention MT (experts [128, 64])" => Network(n => n with { ExpertHiddenSizes = [128, 64] }),
        "Attention MT (label smoothing 0.1)" => Training(t => t with { LabelSmoothing = 0.1 }),
        _ => _ => { },
    };

    private static Action<MultiTaskOptions> Network(Func<NetworkOptions, NetworkOptions> change) => o => o.Network = change(o.Network);

    private static Action<MultiTaskOptions> Training(Func<TrainingOptions, TrainingOptions> change) => o => o.Training = change(o.Training);

    private static IEstimator<ITransformer> LightGbm(MLContext ml, string label, TaskKind kind) => kind switch
    {
        TaskKind.Binary => ml.BinaryClassification.Trainers.LightGbm(labelColumnName: label),
        TaskKind.Multiclass => ml.MulticlassClassification.Trainers.LightGbm(labelColumnName: label),
        _ => ml.Regression.Trainers.LightGbm(labelColumnName: label),
    };

    private static IEstimator<ITransformer> FastTree(MLContext ml, string label, TaskKind kind) => kind switch
    {
        TaskKind.Binary => ml.BinaryClassification.Trainers.FastTree(labelColumnName: label),
        TaskKind.Multiclass => ml.MulticlassClassification.Trainers.OneVersusAll(ml.BinaryClassification.Trainers.FastTree(labelColumnName: label), labelColumnName: label),
        _ => ml.Regression.Trainers.FastTree(labelColumnName: label),
    };

    /// <summary>One model per task; fit time and model size are summed over the tasks.</summary>
    private static ModelResult PerTask(MLContext ml, string model, DatasetSpec dataset, IDataView train, IDataView test,
        Func<MLContext, string, TaskKind, IEstimator<ITransformer>> trainer)
    {
        var scores = new List<TaskScore>();
        double seconds = 0;
        long bytes = 0;
        foreach (var (name, kind) in dataset.Tasks)
        {
            var estimator = trainer(ml, name, kind);
            bool ours = estimator is MultiTaskEstimator;
            // Tree trainers need every row labelled (and a Boolean binary label); our networks mask missing labels themselves.
            var (taskTrain, taskTest) = ours ? (train, test) : (Labelled(ml, train, name, kind), Labelled(ml, test, name, kind));
            var clock = Stopwatch.StartNew();
            var fitted = estimator.Fit(taskTrain);
            seconds += clock.Elapsed.TotalSeconds;
            bytes += SizeOf(ml, fitted, taskTrain.Schema);
            var scored = fitted.Transform(taskTest);
            var score = ours ? FromMetrics(ml.MultiTask().Evaluate(scored, name)[name]) : Evaluate(ml, scored, name, kind);
            scores.Add(WithBalancedRule(score, train, scored, ours ? $"{name}.Score" : "Score"));
            (fitted as IDisposable)?.Dispose();
        }
        return new ModelResult(model, scores, seconds, bytes);
    }

    private static ModelResult MultiTask(MLContext ml, string model, DatasetSpec dataset, IDataView train, IDataView test, int seed,
        Action<MultiTaskOptions> variant)
    {
        var (fitted, seconds, decision) = Fit(ml, dataset, train, seed, variant);
        using (fitted)
            return Scored(ml, model, dataset, train, test, fitted, seconds, decision);
    }

    /// <summary>
    /// Fits every variant with the same seed and scores the one whose best validation loss (the early-stopping
    /// criterion, on the same hold-out for all) is lowest; the fit time is the sum of the fits.
    /// </summary>
    private static ModelResult ChosenOnValidation(MLContext ml, string model, DatasetSpec dataset, IDataView train, IDataView test, int seed,
        IReadOnlyList<Action<MultiTaskOptions>> variants)
    {
        var fits = variants.Select(v => Fit(ml, dataset, train, seed, v)).ToArray();
        try
        {
            var chosen = fits.MinBy(f => BestValidationLoss(f.Fitted));
            return Scored(ml, model, dataset, train, test, chosen.Fitted, fits.Sum(f => f.Seconds), chosen.Decision);
        }
        finally
        {
            foreach (var fit in fits)
                fit.Fitted.Dispose();
        }
    }

    private static double BestValidationLoss(MultiTaskTransformer fitted) =>
        fitted.TrainingHistory.Select(r => r.ValidationLoss).OfType<double>().DefaultIfEmpty(double.PositiveInfinity).Min();

    private static (MultiTaskTransformer Fitted, double Seconds, MulticlassDecision Decision) Fit(MLContext ml, DatasetSpec dataset, IDataView train, int seed,
        Action<MultiTaskOptions> variant)
    {
        var options = new MultiTaskOptions
        {
            Tasks = dataset.Tasks.Select(t => new TaskColumn(t.Name, t.Kind)).ToList(),
            Training = new TrainingOptions { Seed = seed },
        };
        variant(options);
        var clock = Stopwatch.StartNew();
        var fitted = ml.MultiTask().Attention(options).Fit(train);
        return (fitted, clock.Elapsed.TotalSeconds, options.Training.MulticlassDecision);
    }

    private static ModelResult Scored(MLContext ml, string model, DatasetSpec dataset, IDataView train, IDataView test,
        MultiTaskTransformer fitted, double seconds, MulticlassDecision decision)
    {
        var scored = fitted.Transform(test);
        var metrics = ml.MultiTask().Evaluate(scored, dataset.Tasks.Select(t => t.Name).ToArray());
        var scores = metrics.Tasks.Select(FromMetrics);
        if (decision == MulticlassDecision.MostLikely)
            scores = scores.Select(s => WithBalancedRule(s, train, scored, $"{s.Task}.Score"));
        return new ModelResult(model, scores.ToArray(), seconds, SizeOf(ml, fitted, train.Schema));
    }

    /// <summary>
    /// The rows that have <paramref name="label"/>, with a numeric binary label (1 / 0 / NaN, see DatasetSpec) as Boolean.
    /// Other label types cannot be missing and pass unchanged.
    /// </summary>
    private static IDataView Labelled(MLContext ml, IDataView data, string label, TaskKind kind)
    {
        if (data.Schema[label].Type != NumberDataViewType.Single)
            return data;
        var rows = ml.Data.FilterRowsByMissingValues(data, label);
        return kind == TaskKind.Binary ? ml.Transforms.Conversion.ConvertType(label, outputKind: DataKind.Boolean).Fit(rows).Transform(rows) : rows;
    }

    /// <summary>A multiclass score with its macro-accuracy under <see cref="BalancedRule"/> added; others as they are.</summary>
    private static TaskScore WithBalancedRule(TaskScore score, IDataView train, IDataView scored, string scoreColumn) =>
        score.Kind != TaskKind.Multiclass ? score : score with
        {
            BalancedMacroAccuracy = BalancedRule.MacroAccuracy(scored, score.Task, scoreColumn, BalancedRule.TrainingShares(train, score.Task), check: score.Main),
        };

    private static TaskScore Evaluate(MLContext ml, IDataView scored, string label, TaskKind kind)
    {
        switch (kind)
        {
            case TaskKind.Binary:
                var b = ml.BinaryClassification.Evaluate(scored, label);
                return new TaskScore(label, kind, b.AreaUnderRocCurve, null);
            case TaskKind.Multiclass:
                var m = ml.MulticlassClassification.Evaluate(scored, label);
                return new TaskScore(label, kind, m.MacroAccuracy, m.LogLoss, m.ConfusionMatrix.PerClassRecall);
            default:
                var r = ml.Regression.Evaluate(scored, label);
                return new TaskScore(label, kind, r.RSquared, r.RootMeanSquaredError);
        }
    }

    private static TaskScore FromMetrics(Mta.MLNet.Evaluation.TaskMetrics m) => m.Kind switch
    {
        TaskKind.Binary => new TaskScore(m.Task, m.Kind, m.Binary!.AreaUnderRocCurve, null),
        TaskKind.Multiclass => new TaskScore(m.Task, m.Kind, m.Multiclass!.MacroAccuracy, m.Multiclass.LogLoss, m.Multiclass.ConfusionMatrix.PerClassRecall),
        _ => new TaskScore(m.Task, m.Kind, m.Regression!.RSquared, m.Regression.RootMeanSquaredError),
    };

    private static long SizeOf(MLContext ml, ITransformer model, DataViewSchema schema)
    {
        using var stream = new MemoryStream();
        ml.Model.Save(model, schema, stream);
        return stream.Length;
    }
}
