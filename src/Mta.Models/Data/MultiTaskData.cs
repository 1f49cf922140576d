using Mta.Models.Tasks;
using Mta.Models.Tasks.Heads;

namespace Mta.Models.Data;

/// <summary>
/// Training rows in flat arrays, ready to become tensors without per-row objects.
/// </summary>
/// <remarks>
/// <see cref="Features"/> is row-major [rows × <see cref="FeatureCount"/>]; NaN features are allowed (imputed
/// with the training mean). <see cref="Labels"/>[k] holds task k's label per row (see <see cref="TaskSpec"/>);
/// NaN marks a missing label.
/// </remarks>
public sealed class MultiTaskData
{
    /// <summary>Wraps the arrays (not copied) after checking their sizes.</summary>
    public MultiTaskData(float[] features, int featureCount, IReadOnlyList<float[]> labels)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (featureCount < 1)
            throw new ArgumentOutOfRangeException(nameof(featureCount), featureCount, "At least one feature is needed.");
        if (features.Length % featureCount != 0)
            throw new ArgumentException($"{features.Length} feature values are not a whole number of rows of {featureCount}.", nameof(features));
        int rows = features.Length / featureCount;
        for (int k = 0; k < labels.Count; k++)
        {
            if (labels[k].Length != rows)
                throw new ArgumentException($"Label array {k} has {labels[k].Length} values for {rows} rows.", nameof(labels));
        }
        Features = features;
        FeatureCount = featureCount;
        Labels = labels;
        RowCount = rows;
    }

    /// <summary>Row-major feature values.</summary>
    public float[] Features { get; }

    /// <summary>Features per row.</summary>
    public int FeatureCount { get; }

    /// <summary>Per task, one label per row (NaN = missing).</summary>
    public IReadOnlyList<float[]> Labels { get; }

    /// <summary>Number of rows.</summary>
    public int RowCount { get; }

    /// <summary>
    /// Checks the labels against the tasks: counts match, binary labels are 0/1, class indices are whole numbers
    /// in range, no infinities; and, when <paramref name="requireEveryTask"/> (training data), every task has at
    /// least one label and every binary task both classes.
    /// </summary>
    public void Validate(IReadOnlyList<TaskSpec> tasks, bool requireEveryTask = true)
    {
        TaskSpec.ValidateSet(tasks);
        if (Labels.Count != tasks.Count)
            throw new ArgumentException($"{Labels.Count} label arrays for {tasks.Count} tasks.", nameof(tasks));
        if (RowCount == 0)
            throw new ArgumentException("The training data has no rows.", nameof(tasks));
        for (int k = 0; k < tasks.Count; k++)
        {
            var task = tasks[k];
            var head = TaskHeads.For(task);
            int present = 0;
            foreach (float y in Labels[k])
            {
                if (float.IsNaN(y))
                    continue;
                present++;
                if (!head.IsValidLabel(task, y))
                    throw new ArgumentException($"Task '{task.Name}': label value {y} is not valid for {head.Describe(task)}.", nameof(tasks));
            }
            if (present == 0 && requireEveryTask)
                throw new ArgumentException($"Task '{task.Name}': every label is missing; there is nothing to learn.", nameof(tasks));
            if (requireEveryTask && head.TrainingLabelsProblem(task, Labels[k]) is { } problem)
                throw new ArgumentException(problem, nameof(tasks));
        }
    }

    /// <summary>Copies the given rows into a new data set (used for the validation split).</summary>
    public MultiTaskData Select(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var features = new float[rows.Count * FeatureCount];
        var labels = Labels.Select(_ => new float[rows.Count]).ToArray();
        for (int i = 0; i < rows.Count; i++)
        {
            int r = rows[i];
            Array.Copy(Features, (long)r * FeatureCount, features, (long)i * FeatureCount, FeatureCount);
            for (int k = 0; k < labels.Length; k++)
                labels[k][i] = Labels[k][r];
        }
        return new MultiTaskData(features, FeatureCount, labels);
    }
}
