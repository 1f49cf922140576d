using Mta.Models.Reports;
using ScottPlot;

namespace Mta.MLNet.Plots;

/// <summary>
/// PNG plots of a <see cref="MultiTaskReport"/> (from <c>MultiTaskTransformer.Report</c> or <c>GetReport(data)</c>):
/// training curves per task, the loss weights per epoch, the task × source attention heatmap and the task affinity.
/// </summary>
public static class ReportPlots
{
    /// <summary>Per task, training loss (solid) and validation loss (dashed) by epoch; regression losses are in standardized units.</summary>
    public static void SaveTrainingCurves(MultiTaskReport report, string path, int width = 900, int height = 520)
    {
        ArgumentNullException.ThrowIfNull(report);
        var plot = new Plot();
        var epochs = report.History.Select(e => (double)e.Epoch).ToArray();
        var palette = new ScottPlot.Palettes.Category10();
        for (int k = 0; k < report.Tasks.Count; k++)
        {
            var color = palette.GetColor(k);
            var train = plot.Add.ScatterLine(epochs, report.History.Select(e => e.TaskTrainLosses[k]).ToArray(), color);
            train.LegendText = $"{report.Tasks[k]} train";
            train.LineWidth = 2;
            if (report.History.All(e => e.TaskValidationLosses is not null))
            {
                var valid = plot.Add.ScatterLine(epochs, report.History.Select(e => e.TaskValidationLosses![k]).ToArray(), color);
                valid.LegendText = $"{report.Tasks[k]} validation";
                valid.LinePattern = LinePattern.Dashed;
                valid.LineWidth = 2;
            }
        }
        var best = report.History.LastOrDefault(e => e.IsBest);
        if (best is not null)
        {
            var line = plot.Add.VerticalLine(best.Epoch, 1, Colors.Gray, LinePattern.Dotted);
            line.LegendText = "best epoch (weights kept)";
        }
        plot.Title($"Training curves — {report.Architecture}, {report.LossWeighting} weighting");
        plot.XLabel("epoch");
        plot.YLabel("loss per task");
        plot.ShowLegend(Edge.Right);
        Save(plot, path, width, height);
    }

    /// <summary>Per task, its loss weight in each epoch (flat for fixed weighting).</summary>
    public static void SaveLossWeights(MultiTaskReport report, string path, int width = 900, int height = 420)
    {
        ArgumentNullException.ThrowIfNull(report);
        var plot = new Plot();
        var epochs = report.History.Select(e => (double)e.Epoch).ToArray();
        var palette = new ScottPlot.Palettes.Category10();
        for (int k = 0; k < report.Tasks.Count; k++)
        {
            var series = plot.Add.ScatterLine(epochs, report.History.Select(e => e.LossWeights[k]).ToArray(), palette.GetColor(k));
            series.LegendText = report.Tasks[k];
            series.LineWidth = 2;
        }
        plot.Title($"Loss weights — {report.LossWeighting}");
        plot.XLabel("epoch");
        plot.YLabel("weight");
        plot.ShowLegend(Edge.Right);
        Save(plot, path, width, height);
    }

    /// <summary>Task × source heatmap of mean attention (rows: tasks; columns: experts, gate inputs or mask units), values printed in cells.</summary>
    public static void SaveAttentionHeatmap(MultiTaskReport report, string path, int? width = null, int height = 0)
    {
        ArgumentNullException.ThrowIfNull(report);
        var values = ToGrid(report.MeanAttention);
        int cellWidth = report.Sources.Count > 16 ? 28 : 90;
        SaveHeatmap(values, report.Tasks, report.Sources, $"Mean attention per task ({report.Architecture}, {report.Rows:N0} rows)",
            path, width ?? Math.Max(520, 260 + cellWidth * report.Sources.Count), height > 0 ? height : 300 + 60 * report.Tasks.Count,
            printValues: report.Sources.Count <= 16);
    }

    /// <summary>Task × task cosine similarity of the tasks' mean attention.</summary>
    public static void SaveTaskAffinity(MultiTaskReport report, string path, int size = 0)
    {
        ArgumentNullException.ThrowIfNull(report);
        int side = size > 0 ? size : 260 + 90 * report.Tasks.Count;
        SaveHeatmap(ToGrid(report.TaskAffinity), report.Tasks, report.Tasks, "Task affinity (cosine of mean attention)", path, side + 120, side, printValues: true,
            range: new ScottPlot.Range(0, 1));
    }

    private static void SaveHeatmap(double[,] values, IReadOnlyList<string> rows, IReadOnlyList<string> columns, string title,
        string path, int width, int height, bool printValues, ScottPlot.Range? range = null)
    {
        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(values);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        if (range is not null)
            heatmap.ManualRange = range;
        // ScottPlot centres cell (r, c) on (c, rows − 1 − r) by default: the first task on top, as in a table.
        plot.Add.ColorBar(heatmap);
        if (printValues)
        {
            double max = values.Cast<double>().DefaultIfEmpty(0).Max(), min = values.Cast<double>().DefaultIfEmpty(0).Min();
            for (int r = 0; r < rows.Count; r++)
            {
                for (int c = 0; c < columns.Count; c++)
                {
                    var text = plot.Add.Text(values[r, c].ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), c, rows.Count - 1 - r);
                    text.LabelAlignment = Alignment.MiddleCenter;
                    text.LabelFontColor = values[r, c] > (min + max) / 2 ? Colors.Black : Colors.White;
                    text.LabelFontSize = 14;
                }
            }
        }
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, columns.Count).Select(c => (double)c).ToArray(), [.. columns]);
        plot.Axes.Left.SetTicks(Enumerable.Range(0, rows.Count).Select(r => (double)(rows.Count - 1 - r)).ToArray(), [.. rows]);
        if (columns.Count > 4)
        {
            // Long source names ("sub_grade expert 1") only fit slanted, with room reserved below the axis.
            plot.Axes.Bottom.TickLabelStyle.Rotation = 30;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
            plot.Axes.Bottom.MinimumSize = 4 * columns.Max(c => c.Length) + 30;
            plot.Axes.Right.MinimumSize = 40;
        }
        plot.Axes.SetLimits(-0.5, columns.Count - 0.5, -0.5, rows.Count - 0.5);
        plot.Title(title);
        Save(plot, path, width, height);
    }

    private static double[,] ToGrid(IReadOnlyList<IReadOnlyList<double>> rows)
    {
        var grid = new double[rows.Count, rows.Count == 0 ? 0 : rows[0].Count];
        for (int r = 0; r < rows.Count; r++)
        {
            for (int c = 0; c < rows[r].Count; c++)
                grid[r, c] = rows[r][c];
        }
        return grid;
    }

    private static void Save(Plot plot, string path, int width, int height)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
            Directory.CreateDirectory(directory);
        plot.SavePng(path, width, height);
    }
}
