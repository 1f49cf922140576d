using Microsoft.ML;
using Mta.Models.Options;

namespace Mta.MLNet.Experiments;

/// <summary>How trials are proposed.</summary>
public enum ExperimentTuner
{
    /// <summary>Independent random configurations, each trained with the full epoch budget.</summary>
    RandomSearch,

    /// <summary>
    /// Successive halving (Jamieson and Talwalkar 2016; the synchronous form of ASHA): a round of random configurations
    /// trained for a few epochs, the best 1/η kept and retrained with η times the epochs, until one remains or the
    /// full epoch budget is reached. Spends most of the budget on promising configurations.
    /// </summary>
    SuccessiveHalving,
}

/// <summary>How the tasks' validation metrics combine into one score to maximize.</summary>
public enum ExperimentObjective
{
    /// <summary>
    /// LibMTL's Δ_MTL: the mean over tasks of the relative improvement of each task's headline metric (AUC,
    /// macro-accuracy, R²) over the first trial, which uses the default options.
    /// </summary>
    RelativeToDefaults,

    /// <summary>Σ_k weight_k · headline_k with <see cref="MultiTaskExperimentOptions.TaskWeights"/> (default 1 each).</summary>
    WeightedSum,
}

/// <summary>An experiment: search the multi-task network's options within a time budget and return the best model.</summary>
public sealed class MultiTaskExperimentOptions
{
    /// <summary>The label columns (one task each), as for <see cref="MultiTaskOptions.Tasks"/>.</summary>
    public IList<TaskColumn> Tasks { get; set; } = new List<TaskColumn>();

    /// <summary>A known-size vector of Single. Default "Features".</summary>
    public string FeatureColumnName { get; set; } = "Features";

    /// <summary>
    /// Rows trials are trained on. Unless <see cref="TestData"/> and <see cref="ValidationData"/> are given, the test
    /// and validation rows are taken from here first (see <see cref="TestFraction"/>, <see cref="ValidationFraction"/>).
    /// </summary>
    public IDataView? TrainData { get; set; }

    /// <summary>
    /// Rows trials are scored on (the search maximizes their score). When null, a seeded sample of
    /// <see cref="ValidationFraction"/> of the training rows (those not set aside for testing) is held out;
    /// with <see cref="CrossValidationFolds"/> it must be null.
    /// </summary>
    public IDataView? ValidationData { get; set; }

    /// <summary>
    /// Rows no trial is scored on: the best trial's and the default options' <see cref="ExperimentResult.TestMetrics"/>
    /// are measured here, so the search's gain is not inflated by picking the maximum of many noisy validation scores.
    /// When null, a seeded sample of <see cref="TestFraction"/> of <see cref="TrainData"/> is set aside.
    /// </summary>
    public IDataView? TestData { get; set; }

    /// <summary>Share of <see cref="TrainData"/> set aside as test rows when <see cref="TestData"/> is null; in (0, 1). Default 0.2.</summary>
    public double TestFraction { get; set; } = 0.2;

    /// <summary>Share of the remaining rows held out to score trials when <see cref="ValidationData"/> is null; in (0, 1). Default 0.2.</summary>
    public double ValidationFraction { get; set; } = 0.2;

    /// <summary>
    /// 0 (default): each trial is scored on the validation rows. k ≥ 2: each trial is trained k times and scored by its
    /// mean over k folds of the training rows (less noisy, k times the cost per trial within the same time budget);
    /// the best options and the defaults are then fitted once more on all training rows for the test metrics and the returned model.
    /// </summary>
    public int CrossValidationFolds { get; set; }

    /// <summary>
    /// Rows with the same value in this column (a patient, a user) stay on one side of every split — test, validation,
    /// folds — as ML.NET's <c>samplingKeyColumnName</c>. Null: rows are assigned one by one.
    /// </summary>
    public string? GroupColumnName { get; set; }

    /// <summary>Stop proposing trials after this long (a running trial is cancelled, the best so far returned). Default 5 minutes.</summary>
    public TimeSpan TimeBudget { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>At most this many trials (including the first, default one). Default 50.</summary>
    public int MaxTrials { get; set; } = 50;

    /// <summary>How trials are proposed. Default successive halving.</summary>
    public ExperimentTuner Tuner { get; set; } = ExperimentTuner.SuccessiveHalving;

    /// <summary>Successive halving's η: the fraction 1/η of a round survives. Default 3.</summary>
    public int ReductionFactor { get; set; } = 3;

    /// <summary>The options searched. Default: <see cref="MultiTaskSearchSpace"/>'s defaults.</summary>
    public MultiTaskSearchSpace SearchSpace { get; set; } = new();

    /// <summary>Network options not searched come from here (and the first trial is exactly this).</summary>
    public NetworkOptions BaseNetwork { get; set; } = new();

    /// <summary>Training options not searched come from here; its <see cref="TrainingOptions.Epochs"/> is the full epoch budget of a trial.</summary>
    public TrainingOptions BaseTraining { get; set; } = new();

    /// <summary>How tasks combine. Default <see cref="ExperimentObjective.RelativeToDefaults"/>.</summary>
    public ExperimentObjective Objective { get; set; } = ExperimentObjective.RelativeToDefaults;

    /// <summary>Per task name, its weight in <see cref="ExperimentObjective.WeightedSum"/> (missing = 1).</summary>
    public IDictionary<string, double> TaskWeights { get; set; } = new Dictionary<string, double>();

    /// <summary>
    /// Refit the best options (and the defaults, so their test metrics stay comparable) on train + validation rows
    /// before testing and returning; never on the test rows. Default false. Cross-validated experiments always refit.
    /// </summary>
    public bool RefitOnAllData { get; set; }

    /// <summary>
    /// Seed of the tuner's random choices and of the test, validation and fold splits (the trials train with
    /// <see cref="TrainingOptions.Seed"/> of <see cref="BaseTraining"/>, else the MLContext's seed). Same seed, same trials.
    /// </summary>
    public int Seed { get; set; } = 1;

    /// <summary>Receives every finished (or failed) trial.</summary>
    public IProgress<TrialResult>? Progress { get; set; }
}
