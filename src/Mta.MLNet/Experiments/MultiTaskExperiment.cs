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
/// The first trial is always the default options (<see cref="MultiTaskExperimentOptions.BaseNetwork"/>/<c>BaseTraining</c>)
/// with the full epoch budget: the baseline of <see cref="ExperimentObjective.RelativeToDefaults"/>, and a floor the
/// result never falls below. A trial that throws is recorded as failed and the search goes on; when the budget runs
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
            throw new ArgumentException("RefitOnAllData refits on TrainData, which must then hold all rows: leave ValidationData null (every 5th row is held out for scoring).", nameof(options));
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
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(_options.TimeBudget);
        var (train, validation) = _options.ValidationData is null
            ? _ml.MultiTask().SplitByRowIndex(_options.TrainData!)
            : (_options.TrainData!, _options.ValidationData);
        var search = new TrialSearch(_options, new Random(_options.Seed));
        var trials = new List<TrialResult>();
        MultiTaskTransformer? bestModel = null;
        TrialResult? best = null;
        IReadOnlyList<double>? baseline = null;
        try
        {
            foreach (var (network, training) in search.Proposals(() => trials))
            {
                if (trials.Count >= _options.MaxTrials || budget.IsCancellationRequested)
                    break;
                var (trial, model) = RunTrial(trials.Count + 1, network, training, train, validation, baseline, budget.Token);
                if (trial is null)
                    break; // cancelled mid-trial: not a result
                baseline ??= trial.Metrics?.Tasks.Select(t => t.Headline).ToArray();
                if (baseline is not null && trials.Count == 0 && trial.Succeeded)
                    trial = trial with { Score = Score(trial.Metrics!, baseline) };
                trials.Add(trial);
                _options.Progress?.Report(trial);
                if (model is not null && (best is null || trial.Score > best.Score))
                {
                    bestModel?.Dispose();
                    (best, bestModel) = (trial, model);
                }
                else
                {
                    model?.Dispose();
                }
            }
            if (best is null || bestModel is null)
                throw new InvalidOperationException("No trial of the experiment succeeded" +
                    (trials.FirstOrDefault(t => t.Error is not null) is { } failed ? $"; the first failure: {failed.Error}" : " before the budget ran out."));
            if (_options.RefitOnAllData)
            {
                var refit = Fit(best.Network, best.Training, _options.TrainData!, CancellationToken.None);
                bestModel.Dispose();
                bestModel = refit;
            }
            var result = new ExperimentResult(best, bestModel, trials, budget.IsCancellationRequested);
            bestModel = null;
            return result;
        }
        finally
        {
            bestModel?.Dispose();
        }
    }

    /// <returns>The trial and its model (null model when it failed); a null trial when the budget ran out mid-trial.</returns>
    private (TrialResult? Trial, MultiTaskTransformer? Model) RunTrial(int number, NetworkOptions network, TrainingOptions training,
        IDataView train, IDataView validation, IReadOnlyList<double>? baseline, CancellationToken token)
    {
        var clock = Stopwatch.StartNew();
        MultiTaskTransformer? model = null;
        try
        {
            model = Fit(network, training, train, token);
            var metrics = _ml.MultiTask().Evaluate(model.Transform(validation), _options.Tasks);
            double score = baseline is null ? 0 : Score(metrics, baseline);
            return (new TrialResult(number, network, training, metrics, score, clock.Elapsed.TotalSeconds, null), model);
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
    private double Score(MultiTaskMetrics metrics, IReadOnlyList<double> baseline)
    {
        var headlines = metrics.Tasks.Select(t => t.Headline).ToArray();
        if (_options.Objective == ExperimentObjective.WeightedSum)
            return metrics.Tasks.Sum(t => (_options.TaskWeights.TryGetValue(t.Task, out double w) ? w : 1.0) * t.Headline);
        // Δ_MTL: every headline (AUC, macro-accuracy, R²) is higher-is-better, so the sign is +1 for all.
        return headlines.Select((h, k) => (h - baseline[k]) / Math.Max(Math.Abs(baseline[k]), 1e-12)).Average();
    }
}
