using System.Globalization;
using Mta.MLNet.Evaluation;
using Mta.Models.Tasks;
using Spectre.Console;

namespace Mta.Cli.Commands;

/// <summary>Per-task metrics as a table (ML.NET's evaluators' numbers).</summary>
internal static class MetricsTable
{
    public static void Write(IAnsiConsole console, MultiTaskMetrics metrics, string title)
    {
        var table = new Table { Title = new TableTitle(title) };
        table.AddColumns("task", "kind", "metric", "value");
        foreach (var task in metrics.Tasks)
        {
            foreach (var (name, value) in Rows(task))
                table.AddRow(Markup.Escape(task.Task), task.Kind.ToString(), name, value.ToString("F4", CultureInfo.InvariantCulture));
        }
        console.Write(table);
    }

    /// <summary>The metrics of one task by name, as the table and --json show them.</summary>
    public static IEnumerable<(string Name, double Value)> Rows(TaskMetrics task)
    {
        switch (task.Kind)
        {
            case TaskKind.Binary:
                yield return ("AUC", task.Binary!.AreaUnderRocCurve);
                yield return ("Accuracy", task.Binary.Accuracy);
                yield return ("F1", task.Binary.F1Score);
                yield return ("LogLoss", task.Binary.LogLoss);
                break;
            case TaskKind.Multiclass:
                yield return ("MacroAccuracy", task.Multiclass!.MacroAccuracy);
                yield return ("MicroAccuracy", task.Multiclass.MicroAccuracy);
                yield return ("LogLoss", task.Multiclass.LogLoss);
                break;
            default:
                yield return ("RSquared", task.Regression!.RSquared);
                yield return ("RMSE", task.Regression.RootMeanSquaredError);
                yield return ("MAE", task.Regression.MeanAbsoluteError);
                break;
        }
    }
}
