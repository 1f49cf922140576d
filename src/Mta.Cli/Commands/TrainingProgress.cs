using System.Globalization;
using Mta.Models.Training;
using Spectre.Console;

namespace Mta.Cli.Commands;

/// <summary>
/// Training progress: on a terminal a live bar over the epochs (best validation loss so far, time left, which
/// assumes every epoch runs — early stopping ends sooner); otherwise (a log, a pipe) one plain line per epoch.
/// </summary>
internal static class TrainingProgress
{
    /// <summary>Runs <paramref name="train"/>, which reports each finished epoch through the progress it gets.</summary>
    public static T Run<T>(IAnsiConsole console, bool interactive, int epochs, Func<IProgress<EpochReport>, T> train)
    {
        if (!interactive)
            return train(new SyncProgress<EpochReport>(r => console.WriteLine(Line(r))));
        T result = default!;
        double? best = null;
        console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var task = context.AddTask("training", maxValue: Math.Max(epochs, 1));
                result = train(new SyncProgress<EpochReport>(r =>
                {
                    if (r.IsBest && r.ValidationLoss is double loss)
                        best = loss;
                    task.Value = Math.Min(r.Epoch, task.MaxValue);
                    task.Description = $"epoch {r.Epoch}/{epochs}, train loss {F4(r.TrainLoss)}" + (best is double b ? $", best validation loss {F4(b)}" : "");
                }));
                task.Value = task.MaxValue; // early stopping ends before the last epoch
            });
        return result;
    }

    public static string Line(EpochReport r) =>
        $"  epoch {r.Epoch,3}  train loss {F4(r.TrainLoss)}" + (r.ValidationLoss is double v ? $"  validation loss {F4(v)}" : "") + (r.IsBest ? "  *" : "");

    private static string F4(double value) => value.ToString("F4", CultureInfo.InvariantCulture);
}
