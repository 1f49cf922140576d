using Microsoft.ML;
using Microsoft.ML.Data;

namespace Mta.QualityBenchmark;

/// <summary>
/// Macro-accuracy when any model's multiclass scores are divided by each class's share of the training labels before
/// the arg-max (the rule of <c>MulticlassDecision.Balanced</c>, with the same add-one smoothing). Applied to LightGBM's
/// scores and ours alike, it tells a model whose rare classes are ranked worse from one that only decides differently.
/// </summary>
internal static class BalancedRule
{
    /// <summary>(count + 1) / (rows + K) per class of the key-typed <paramref name="label"/> column of <paramref name="train"/>.</summary>
    public static double[] TrainingShares(IDataView train, string label)
    {
        int classes = train.Schema[label].Type is KeyDataViewType keyType
            ? (int)keyType.Count
            : throw new InvalidOperationException($"Column '{label}' is not a key column, so it has no classes to count.");
        var counts = new long[classes];
        foreach (uint key in train.GetColumn<uint>(label))
        {
            if (key > 0)
                counts[key - 1]++;
        }
        double total = counts.Sum() + classes;
        return counts.Select(c => (c + 1) / total).ToArray();
    }

    /// <summary>
    /// The mean recall over the classes present in <paramref name="scored"/>, deciding arg-max of score / share.
    /// With every share equal it must reproduce ML.NET's macro-accuracy; <paramref name="check"/> is that value, and a
    /// mismatch throws rather than print a number computed differently from the tables'.
    /// </summary>
    public static double MacroAccuracy(IDataView scored, string label, string scoreColumn, double[] shares, double check)
    {
        var labels = scored.GetColumn<uint>(label).ToArray();
        var scores = scored.GetColumn<float[]>(scoreColumn).ToArray();
        double plain = MacroAccuracy(labels, scores, Enumerable.Repeat(1.0, shares.Length).ToArray());
        if (Math.Abs(plain - check) > 1e-6)
            throw new InvalidOperationException($"Macro-accuracy of column '{scoreColumn}' recomputed as {plain}, ML.NET reports {check}.");
        return MacroAccuracy(labels, scores, shares);
    }

    private static double MacroAccuracy(uint[] labels, float[][] scores, double[] shares)
    {
        var total = new long[shares.Length];
        var correct = new long[shares.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] == 0)
                continue;
            int truth = (int)labels[i] - 1, decided = 0;
            for (int c = 1; c < shares.Length; c++)
            {
                if (scores[i][c] / shares[c] > scores[i][decided] / shares[decided])
                    decided = c;
            }
            total[truth]++;
            if (decided == truth)
                correct[truth]++;
        }
        var present = Enumerable.Range(0, shares.Length).Where(c => total[c] > 0).ToArray();
        return present.Average(c => (double)correct[c] / total[c]);
    }
}
