using Mta.Models.Data;
using Mta.Models.Options;
using Mta.Models.Tasks;

namespace Mta.Models.Tests;

/// <summary>Small seeded data sets with a known signal for binary, multiclass and regression tasks.</summary>
internal static class SyntheticTasks
{
    /// <summary>Every architecture that reads fixed-width table rows (images and sets need other input), for DynamicData.</summary>
    public static IEnumerable<object[]> TableArchitectures =>
        Enum.GetValues<Architecture>().Where(a => a is not (Architecture.ConvolutionalAttention or Architecture.SetAttention)).Select(a => new object[] { a });

    public static readonly TaskSpec[] Specs =
    [
        new("b", TaskKind.Binary),
        new("m", TaskKind.Multiclass, 3, classLabels: ["low", "mid", "high"]),
        new("r", TaskKind.Regression),
    ];

    /// <summary>Rows with d features; b, m and r all depend on the same projection so sharing helps.</summary>
    public static MultiTaskData Make(int rows, int features, int seed, double missingLabelRate = 0)
    {
        var rng = new Random(seed);
        var x = new float[rows * features];
        var b = new float[rows];
        var m = new float[rows];
        var r = new float[rows];
        for (int i = 0; i < rows; i++)
        {
            double s = 0, t = 0;
            for (int j = 0; j < features; j++)
            {
                float v = (float)Gaussian(rng) * (j + 1) + j; // columns on different scales and offsets
                x[i * features + j] = v;
                double z = (v - j) / (j + 1);
                s += z * (j % 2 == 0 ? 1 : -0.5);
                t += z * (j % 3 == 0 ? 0.7 : 0.2);
            }
            b[i] = s + 0.3 * Gaussian(rng) > 0 ? 1 : 0;
            m[i] = t < -0.6 ? 0 : t < 0.6 ? 1 : 2;
            r[i] = (float)(100 + 20 * s + 5 * Math.Sin(t) + Gaussian(rng));
            if (missingLabelRate > 0)
            {
                if (rng.NextDouble() < missingLabelRate) b[i] = float.NaN;
                if (rng.NextDouble() < missingLabelRate) m[i] = float.NaN;
                if (rng.NextDouble() < missingLabelRate) r[i] = float.NaN;
            }
        }
        return new MultiTaskData(x, features, [b, m, r]);
    }

    private static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
