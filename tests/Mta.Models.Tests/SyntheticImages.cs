using Mta.Models.Data;
using Mta.Models.Tasks;

namespace Mta.Models.Tests;

/// <summary>
/// Small seeded images: noise, and in 80% of them a bright square in one of the four quadrants. Tasks: which
/// quadrant (multiclass; missing when there is no square) and whether there is a square (binary). Pixels in
/// channel, row, column order (ML.NET's ExtractPixels order).
/// </summary>
internal static class SyntheticImages
{
    public static readonly TaskSpec[] Specs =
    [
        new("quadrant", TaskKind.Multiclass, 4, classLabels: ["top left", "top right", "bottom left", "bottom right"]),
        new("present", TaskKind.Binary),
    ];

    public static MultiTaskData Make(int rows, int channels, int size, int seed)
    {
        var rng = new Random(seed);
        int pixels = channels * size * size;
        var x = new float[rows * pixels];
        var quadrant = new float[rows];
        var present = new float[rows];
        int half = size / 2, square = Math.Max(2, size / 4);
        for (int i = 0; i < rows; i++)
        {
            for (int p = 0; p < pixels; p++)
                x[i * pixels + p] = (float)(rng.NextDouble() * 0.5);
            bool has = rng.NextDouble() < 0.8;
            present[i] = has ? 1 : 0;
            quadrant[i] = float.NaN;
            if (!has)
                continue;
            int q = rng.Next(4);
            quadrant[i] = q;
            int top = (q / 2) * half + rng.Next(half - square + 1), left = (q % 2) * half + rng.Next(half - square + 1);
            for (int c = 0; c < channels; c++)
            {
                for (int r = top; r < top + square; r++)
                {
                    for (int col = left; col < left + square; col++)
                        x[i * pixels + c * size * size + r * size + col] += 1.5f;
                }
            }
        }
        return new MultiTaskData(x, pixels, [quadrant, present]);
    }
}
