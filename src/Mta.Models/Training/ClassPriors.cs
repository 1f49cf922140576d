using Mta.Models.Tasks;

namespace Mta.Models.Training;

/// <summary>Each class's share of a multiclass task's training labels, for <see cref="Options.MulticlassDecision.Balanced"/>.</summary>
internal static class ClassPriors
{
    public static float[]? Of(TaskSpec task, float[] labels)
    {
        if (task.Kind != TaskKind.Multiclass)
            return null;
        var counts = new long[task.ClassCount];
        foreach (float y in labels)
        {
            if (!float.IsNaN(y))
                counts[(int)y]++;
        }
        return FromCounts(counts);
    }

    /// <summary>
    /// (count + 1) / (total + K): add-one smoothing keeps a class absent from the training labels at a small prior
    /// instead of 0 (which would make dividing by it predict that class everywhere).
    /// </summary>
    public static float[] FromCounts(long[] counts)
    {
        double total = counts.Sum() + counts.Length;
        return counts.Select(c => (float)((c + 1) / total)).ToArray();
    }
}
