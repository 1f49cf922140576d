using System.Globalization;
using Mta.MLNet.Experiments;
using Spectre.Console;

namespace Mta.Cli.Commands;

/// <summary>
/// The trials of <c>mta experiment</c> as a table: on a terminal a live table that grows as trials finish; otherwise
/// (a log, a pipe) one plain line per finished trial and the whole table at the end.
/// </summary>
internal sealed class TrialTable
{
    private readonly Table _table = new();

    public TrialTable()
    {
        _table.AddColumns("trial", "architecture", "experts", "widths", "lr", "epochs", "loss weighting", "score", "seconds");
        foreach (var column in new[] { 0, 2, 5, 7, 8 })
            _table.Columns[column].RightAligned();
    }

    public int Count => _table.Rows.Count;

    public void Add(TrialResult t)
    {
        var n = t.Network;
        _table.AddRow(t.Number.ToString(CultureInfo.InvariantCulture), n.Architecture.ToString(), n.ExpertCount.ToString(CultureInfo.InvariantCulture),
            string.Join(",", n.ExpertHiddenSizes), t.Training.LearningRate.ToString("G3", CultureInfo.InvariantCulture),
            t.Training.Epochs.ToString(CultureInfo.InvariantCulture), t.Training.LossWeighting.ToString(),
            t.Succeeded ? t.Score.ToString("F4", CultureInfo.InvariantCulture) : Markup.Escape("failed: " + t.Error),
            t.Seconds.ToString("F1", CultureInfo.InvariantCulture));
    }

    /// <summary>Runs the search, showing each trial <paramref name="search"/> reports through the callback it gets.</summary>
    public static async Task<T> Show<T>(IAnsiConsole console, bool interactive, Func<Action<TrialResult>, Task<T>> search)
    {
        var trials = new TrialTable();
        if (!interactive)
        {
            var result = await search(t =>
            {
                trials.Add(t);
                console.WriteLine($"[experiment] trial {t.Number} finished in {t.Seconds.ToString("F1", CultureInfo.InvariantCulture)} s" +
                    (t.Succeeded ? $", score {t.Score.ToString("F4", CultureInfo.InvariantCulture)}" : ", failed"));
            }).ConfigureAwait(false);
            console.Write(trials._table);
            return result;
        }
        T value = default!;
        await console.Live(trials._table).StartAsync(async context =>
        {
            value = await search(t =>
            {
                trials.Add(t);
                context.Refresh();
            }).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return value;
    }
}
