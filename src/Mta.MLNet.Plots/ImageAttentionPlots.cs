using ScottPlot;

namespace Mta.MLNet.Plots;

/// <summary>One image and, per task, its attention map (the task's <c>{task}.Attention</c> column as a grid).</summary>
/// <param name="Pixels">Grayscale pixels, row by row (the first channel is used for color images).</param>
/// <param name="Caption">Text under the image (e.g. true and predicted labels).</param>
/// <param name="Maps">Per task, the attention values, row by row over the grid.</param>
public sealed record ImageAttention(float[] Pixels, string Caption, IReadOnlyList<float[]> Maps);

/// <summary>PNG plots of convolutional attention: where in each image each task looks.</summary>
public static class ImageAttentionPlots
{
    private const double Gap = 0.25;

    /// <summary>
    /// A grid: one row per image; the image, then each task's attention map (stretched over the image's area; brighter
    /// = more weight). Maps share one color scale per task so rows can be compared.
    /// </summary>
    public static void Save(string path, int imageHeight, int imageWidth, int gridHeight, int gridWidth, IReadOnlyList<string> tasks,
        IReadOnlyList<ImageAttention> images, int cellPixels = 150)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(images);
        var plot = new Plot();
        for (int i = 0; i < images.Count; i++)
        {
            double top = -i * (1 + 2 * Gap), bottom = top - 1;
            var image = plot.Add.Heatmap(Grid(images[i].Pixels, imageHeight, imageWidth));
            image.Colormap = new ScottPlot.Colormaps.Grayscale();
            image.Extent = Inset(0, bottom, imageHeight, imageWidth);
            plot.Add.Text(images[i].Caption, 0.5, bottom - 0.02).LabelAlignment = Alignment.UpperCenter;
            for (int k = 0; k < tasks.Count; k++)
            {
                double left = (k + 1) * (1 + Gap);
                var map = plot.Add.Heatmap(Grid(images[i].Maps[k], gridHeight, gridWidth));
                map.Colormap = new ScottPlot.Colormaps.Viridis();
                map.ManualRange = new ScottPlot.Range(images.Min(x => x.Maps[k].Min()), images.Max(x => x.Maps[k].Max()));
                map.Extent = Inset(left, bottom, gridHeight, gridWidth);
                if (i == 0)
                    plot.Add.Text(tasks[k], left + 0.5, top + 0.02).LabelAlignment = Alignment.LowerCenter;
            }
        }
        plot.Add.Text("image", 0.5, 0.02).LabelAlignment = Alignment.LowerCenter;
        plot.HideAxesAndGrid();
        plot.Axes.SetLimits(-0.35, (tasks.Count + 1) * (1 + Gap) + 0.1, -images.Count * (1 + 2 * Gap) + Gap - 0.1, 0.25);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
            Directory.CreateDirectory(directory);
        plot.SavePng(path, (tasks.Count + 1) * cellPixels + 40, images.Count * (int)(cellPixels * 1.35) + 60);
    }

    /// <summary>
    /// The extent that makes a rows × columns heatmap fill the unit box at (left, bottom): ScottPlot centres the outer
    /// cells on the extent's edges, so the extent is the box shrunk by half a cell on every side.
    /// </summary>
    private static CoordinateRect Inset(double left, double bottom, int rows, int columns)
    {
        double dx = 0.5 / columns, dy = 0.5 / rows;
        return new CoordinateRect(left + dx, left + 1 - dx, bottom + dy, bottom + 1 - dy);
    }

    private static double[,] Grid(float[] values, int height, int width)
    {
        if (values.Length < height * width)
            throw new ArgumentException($"{values.Length} values do not fill a {height}×{width} grid.", nameof(values));
        var grid = new double[height, width];
        for (int r = 0; r < height; r++)
        {
            for (int c = 0; c < width; c++)
                grid[r, c] = values[r * width + c];
        }
        return grid;
    }
}
