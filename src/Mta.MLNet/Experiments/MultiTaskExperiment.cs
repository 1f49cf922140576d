using System.Diagnostics;
using Microsoft.ML;
using Mta.MLNet.Evaluation;
using Mta.Models.Options;

namespace Mta.MLNet.Experiments;

/// <summary>
/// Searches the multi-task network's options within a time budget and returns the best model, in the spirit of
/// ML.NET AutoML's <c>AutoMLExperiment</c> (which has no multi-task trainer). Create it with
/// <c>mlContext.MultiTask().Experiment(options)</c> and call <see cref="RunAsync"/>.
/// </summary>
/// <remarks>
/// Three kinds of rows: trials train on the training rows and are scored on the validation rows (or by the mean over
/// k folds of the training rows); the best trial is then measured on test rows that no trial was scored on, beside the
/// default options on the same rows (<see cref="ExperimentResult.TestMetrics"/>, <see cref="ExperimentResult.DefaultTestMetrics"/>),
/// because the best of many validation scores overstates what the chosen options will do on new rows.
/// The first trial is always the default options (<see cref="MultiTaskExperimentOptions.BaseNetwork"/>/<c>BaseTraining</c>)
/// with the full epoch budget: the baseline of <see cref="ExperimentObjective.RelativeToDefaults"/>, and a floor the
/// validation score of the result never falls below. A trial that throws is recorded as failed and the search goes on; when the budget runs
/// out or the token is cancelled, the running trial stops within one batch and the best trial so far is returned.
/// </remarks>
public sealed class MultiTaskExperiment
{
    private readonly MLContext _ml;
    private readonly MultiTaskExperimentOptions _options;

    internal MultiTaskExperiment(MLContext ml, MultiTaskExperimentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.TrainData is null)
            throw new ArgumentException("MultiTaskExperimentOptions.TrainData is required.", nameof(options));
        if (options.Tasks is null || options.Tasks.Count == 0)
            throw new ArgumentException("MultiTaskExperimentOptions.Tasks needs at least one label column.", nameof(options));
        if (options.MaxTrials < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxTrials, "MaxTrials must be at least 1.");
        if (options.TimeBudget <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(options), options.TimeBudget, "TimeBudget must be positive.");
        if (options.ReductionFactor < 2)
            throw new ArgumentOutOfRangeException(nameof(options), options.ReductionFactor, "ReductionFactor must be at least 2.");
        if (options.RefitOnAllData && options.ValidationData is not null)
            throw new ArgumentException("RefitOnAllData refits on TrainData, which must then hold the validation rows too: leave ValidationData null (a sample of TrainData is held out for scoring).", nameof(options));
        if (options.CrossValidationFolds is 1 or < 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.CrossValidationFolds, "CrossValidationFolds must be 0 (off) or at least 2.");
        if (options.CrossValidationFolds >= 2 && options.ValidationData is not null)
            throw new ArgumentException("CrossValidationFolds scores trials on folds of TrainData: leave ValidationData null.", nameof(options));
        if (options.GroupColumnName is not null && options.TrainData.Schema.GetColumnOrNull(options.GroupColumnName) is null)
            throw new ArgumentException($"GroupColumnName '{options.GroupColumnName}' is not a column of TrainData.", nameof(options));
        if (!(options.TestFraction > 0 && options.TestFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(options), options.TestFraction, "TestFraction must be in (0, 1).");
        if (!(options.ValidationFraction > 0 && options.ValidationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(options), options.ValidationFraction, "ValidationFraction must be in (0, 1).");
        options.SearchSpace.Validate();
        options.BaseNetwork.Validate();
        options.BaseTraining.Validate();
        _ml = ml;
        _options = options;
    }

    /// <summary>Runs trials until <see cref="MultiTaskExperimentOptions.MaxTrials"/>, the time budget or cancellation.</summary>
    public Task<ExperimentResult> RunAsync(CancellationToken cancellationToken = default) =>
        Task.Run(() => Run(cancellationToken), CancellationToken.None);

    private ExperimentResult Run(CancellationToken cancellationToken)
    {
        var split = ExperimentSplit.Create(_ml, _options);
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(_options.TimeBudget);
        var search = new TrialSearch(_options, new Random(_options.Seed));
        var trials = new List<TrialResult>();
        MultiTaskTransformer? bestModel = null, defaultModel = null;
        TrialResult? best = null;
        IReadOnlyList<double>? baseline = null;
        try
        {
            foreach (var (network, training) in search.Proposals(() => trials))
            {
                if (trials.Count >= _options.MaxTrials || budget.IsCancellationRequested)
                    break;
                var (trial, model) = RunTrial(trials.Count + 1, network, training, split, baseline, budget.Token);
                if (trial is null)
                    break; // cancelled mid-trial: not a result
                if (baseline is null && trial.Succeeded)
                {
                    baseline = trial.Headlines;
                    trial = trial with { Score = Score(trial.Headlines!, baseline!) };
                }
                // The defaults' model is kept for their test metrics, whichever trial wins.
                if (trials.Count == 0)
                    defaultModel = model;
                trials.Add(trial);
                _options.Progress?.Report(trial);
                if (trial.Succeeded && (best is null || trial.Score > best.Score))
                {
                    if (bestModel != defaultModel)
                        bestModel?.Dispose();
                    (best, bestModel) = (trial, model);
                }
                else if (model != defaultModel)
                {
                    model?.Dispose();
                }
            }
            if (best is null)
                throw new InvalidOperationException("No trial of the experiment succeeded" +
                    (trials.FirstOrDefault(t => t.Error is not null) is { } failed ? $"; the first failure: {failed.Error}" : " before the budget ran out."));

            // Cross-validated trials leave no model; a refit sees train + validation rows. The defaults are refitted
            // alike, so both test metrics come from models that saw the same rows.
            if (split.Folds is not null || _options.RefitOnAllData)
            {
                var first = trials[0];
                ReleaseModels(ref bestModel, ref defaultModel);
                bestModel = Fit(best.Network, best.Training, split.Pool, CancellationToken.None);
                defaultModel = best == first ? bestModel
                    : first.Succeeded ? Fit(first.Network, first.Training, split.Pool, CancellationToken.None) : null;
            }
            var testMetrics = _ml.MultiTask().Evaluate(bestModel!.Transform(split.Test), _options.Tasks);
            var defaultTestMetrics = defaultModel is null ? null
                : defaultModel == bestModel ? testMetrics
                : _ml.MultiTask().Evaluate(defaultModel.Transform(split.Test), _options.Tasks);
            if (defaultModel != bestModel)
                defaultModel?.Dispose();
            defaultModel = null;
            var result = new ExperimentResult(best, bestModel, trials, budget.IsCancellationRequested)
            {
                TestMetrics = testMetrics,
                DefaultTestMetrics = defaultTestMetrics,
                Split = split.Description,
                TestRows = split.TestRows,
                TrainingRows = split.Folds is not null || _options.RefitOnAllData ? split.PoolRows : split.TrainRows,
            };
            bestModel = null;
            return result;
        }
        finally
        {
            ReleaseModels(ref bestModel, ref defaultModel);
        }
    }

    private static void ReleaseModels(ref MultiTaskTransformer? best, ref MultiTaskTransformer? defaults)
    {
        if (defaults != best)
            defaults?.Dispose();
        best?.Dispose();
        (best, defaults) = (null, null);
    }

    /// <returns>
    /// The trial and its model (null when it failed or was cross-validated); a null trial when the budget ran out mid-trial.
    /// </returns>
    private (TrialResult? Trial, MultiTaskTransformer? Model) RunTrial(int number, NetworkOptions network, TrainingOptions training,
        ExperimentSplit split, IReadOnlyList<double>? baseline, CancellationToken token)
    {
        var clock = Stopwatch.StartNew();
        MultiTaskTransformer? model = null;
        try
        {
            MultiTaskMetrics? metrics = null;
            List<MultiTaskMetrics>? folds = null;
            if (split.Folds is null)
            {
                model = Fit(network, training, split.Train, token);
                metrics = _ml.MultiTask().Evaluate(model.Transform(split.Validation!), _options.Tasks);
            }
            else
            {
                folds = [];
                foreach (var fold in split.Folds)
                {
                    using var foldModel = Fit(network, training, fold.Train, token);
                    folds.Add(_ml.MultiTask().Evaluate(foldModel.Transform(fold.Test), _options.Tasks));
                }
            }
            var trial = new TrialResult(number, network, training, metrics, 0, 0, null) { FoldMetrics = folds };
            double score = baseline is null ? 0 : Score(trial.Headlines!, baseline);
            return (trial with { Score = score, Seconds = clock.Elapsed.TotalSeconds }, model);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            model?.Dispose();
            return (null, null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            model?.Dispose();
            return (new TrialResult(number, network, training, null, double.NaN, clock.Elapsed.TotalSeconds, $"{e.GetType().Name}: {e.Message}"), null);
        }
    }

    private MultiTaskTransformer Fit(NetworkOptions network, TrainingOptions training, IDataView data, CancellationToken token) =>
        _ml.MultiTask().Attention(new MultiTaskOptions
        {
            FeatureColumnName = _options.FeatureColumnName,
            Tasks = _options.Tasks,
            Network = network,
            Training = training,
            CancellationToken = token,
        }).Fit(data);

    /// <summary>The objective: higher is better.</summary>
    private double Score(IReadOnlyList<double> headlines, IReadOnlyList<double> baseline)
    {
        if (_options.Objective == ExperimentObjective.WeightedSum)
            return headlines.Select((h, k) => (_options.TaskWeights.TryGetValue(_options.Tasks[k].Name, out double w) ? w : 1.0) * h).Sum();
        // Δ_MTL: every headline (AUC, macro-accuracy, R²) is higher-is-better, so the sign is +1 for all.
        return headlines.Select((h, k) => (h - baseline[k]) / Math.Max(Math.Abs(baseline[k]), 1e-12)).Average();
    }
}
