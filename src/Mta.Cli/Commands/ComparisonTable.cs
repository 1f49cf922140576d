using System.Globalization;
using Mta.MLNet.Evaluation;
using Spectre.Console;

namespace Mta.Cli.Commands;

/// <summary>Two models' metrics on the same rows side by side: the default options and the options an experiment chose.</summary>
internal static class ComparisonTable
{
    public static void Write(IAnsiConsole console, MultiTaskMetrics? defaults, MultiTaskMetrics best, string bestName, string title)
    {
        string F(double v) => v.ToString("F4", CultureInfo.InvariantCulture);
        var table = new Table { Title = new TableTitle(Markup.Escape(title)) };
        table.AddColumns("task", "metric", "defaults (trial 1)", Markup.Escape(bestName), "difference");
        foreach (var task in best.Tasks)
        {
            var values = task.Values();
            var baseline = defaults?[task.Task].Values();
            for (int m = 0; m < values.Count; m++)
            {
                string d = baseline is null ? "failed" : F(baseline[m].Value);
                string diff = baseline is null ? "" : (values[m].Value - baseline[m].Value).ToString("+0.0000;-0.0000;0.0000", CultureInfo.InvariantCulture);
                table.AddRow(Markup.Escape(task.Task), values[m].Name, d, F(values[m].Value), diff);
            }
        }
        console.Write(table);
    }
}
