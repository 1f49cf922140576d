namespace Mta.Models.Tests;

/// <summary>Test-side metrics (independent of the code under test).</summary>
internal static class Metrics
{
    public static double Auc(float[] scores, float[] labels)
    {
        var pairs = scores.Zip(labels).Where(p => !float.IsNaN(p.Second)).OrderBy(p => p.First).ToArray();
        double rankSum = 0;
        long positives = 0;
        for (int i = 0; i < pairs.Length; i++)
        {
            if (pairs[i].Second == 1)
            {
                rankSum += i + 1;
                positives++;
            }
        }
        long negatives = pairs.Length - positives;
        return (rankSum - positives * (positives + 1) / 2.0) / (positives * (double)negatives);
    }

    public static double Accuracy(long[] predicted, float[] labels) =>
        predicted.Zip(labels).Where(p => !float.IsNaN(p.Second)).Average(p => p.First == p.Second ? 1.0 : 0.0);

    public static double RSquared(float[] predicted, float[] labels)
    {
        var pairs = predicted.Zip(labels).Where(p => !float.IsNaN(p.Second)).ToArray();
        double mean = pairs.Average(p => p.Second);
        double ssRes = pairs.Sum(p => Math.Pow(p.First - p.Second, 2));
        double ssTot = pairs.Sum(p => Math.Pow(p.Second - mean, 2));
        return 1 - ssRes / ssTot;
    }

    public static double MajorityAccuracy(float[] labels)
    {
        var present = labels.Where(l => !float.IsNaN(l)).ToArray();
        return present.GroupBy(l => l).Max(g => g.Count()) / (double)present.Length;
    }
}
