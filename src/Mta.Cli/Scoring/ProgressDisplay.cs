using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace Mta.Cli.Scoring;

/// <summary>
/// Scoring progress: on a terminal, a live bar with rows, rows/s and time left; otherwise (a log, a pipe, a CI job)
/// one plain line every <c>interval</c>.
/// </summary>
internal static class ProgressDisplay
{
    /// <summary>Runs <paramref name="work"/>, which reports (rows done, fraction of input read) through the callback it gets.</summary>
    public static T Run<T>(IAnsiConsole console, bool interactive, TimeSpan interval, Func<Action<long, double>, T> work)
    {
        var clock = Stopwatch.StartNew();
        if (!interactive)
        {
            var next = interval;
            return work((rows, fraction) =>
            {
                if (clock.Elapsed < next)
                    return;
                next = clock.Elapsed + interval;
                console.WriteLine(Line(rows, fraction, clock.Elapsed));
            });
        }
        T result = default!;
        console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var task = context.AddTask("scoring", maxValue: 1.0);
                result = work((rows, fraction) =>
                {
                    task.Value = fraction;
                    task.Description = $"{rows.ToString("N0", CultureInfo.InvariantCulture)} rows, {Rate(rows, clock.Elapsed)} rows/s";
                });
                task.Value = 1.0;
            });
        return result;
    }

    public static string Line(long rows, double fraction, TimeSpan elapsed)
    {
        string eta = fraction > 0 && fraction < 1 ? TimeSpan.FromSeconds(elapsed.TotalSeconds * (1 - fraction) / fraction).ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture) : "-";
        return $"[score] {rows.ToString("N0", CultureInfo.InvariantCulture)} rows, {Rate(rows, elapsed)} rows/s, " +
            $"{(100 * fraction).ToString("F1", CultureInfo.InvariantCulture)}% of input, ETA {eta}";
    }

    private static string Rate(long rows, TimeSpan elapsed) =>
        (rows / Math.Max(elapsed.TotalSeconds, 1e-3)).ToString("N0", CultureInfo.InvariantCulture);
}
