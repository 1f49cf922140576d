using System.Globalization;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Runtime;
using Mta.Models.Tasks;
using Mta.Models.Training;

namespace Mta.MLNet.Hosting;

/// <summary>
/// Writes one line per epoch to <c>mlContext.Log</c> through an ML.NET channel, as ML.NET's own trainers report
/// progress, and passes every report on to the caller's <see cref="IProgress{T}"/>.
/// </summary>
internal sealed class TrainingLog : IProgress<EpochReport>, IDisposable
{
    // The host gets a fixed seed of its own: registering one without a seed would draw from the context's random
    // generator and so change what later ML.NET components on the same context compute.
    private const int HostSeed = 0;

    private readonly IChannel _channel;
    private readonly IProgress<EpochReport>? _next;
    private readonly IReadOnlyList<TaskSpec> _tasks;
    private readonly int _epochs;
    private readonly bool _adaptive;

    /// <param name="mlContext">The context whose log receives the lines.</param>
    /// <param name="channelName">The channel's name.</param>
    /// <param name="tasks">The tasks, for the per-task parts of a line.</param>
    /// <param name="epochs">The epochs planned (the "/{epochs}" of a line).</param>
    /// <param name="adaptive">The loss weighting sets the weights itself (anything but Fixed): each line shows them.</param>
    /// <param name="next">The caller's progress receiver, or null.</param>
    public TrainingLog(MLContext mlContext, string channelName, IReadOnlyList<TaskSpec> tasks, int epochs, bool adaptive, IProgress<EpochReport>? next)
    {
        var host = ((IHostEnvironment)mlContext).Register("MultiTask", seed: HostSeed);
        _channel = host.Start(channelName);
        _tasks = tasks;
        _epochs = epochs;
        _adaptive = adaptive;
        _next = next;
    }

    /// <summary>Writes a line that is not an epoch's (the start of training).</summary>
    public void Info(string message) => _channel.Info(MessageSensitivity.None, message);

    public void Report(EpochReport value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _channel.Info(MessageSensitivity.None, Format(value, _tasks, _epochs, _adaptive));
        _next?.Report(value);
    }

    /// <summary>
    /// One line per epoch: "Epoch {n}/{epochs}: train loss {total} ({task} {loss}, ...), validation loss {total}
    /// (best), {rows} rows/s"; the validation part only when there are validation rows; with an adaptive weighting
    /// ", loss weights ({task} {weight}, ...)", and for a gradient method ", gradients conflicted in {p}% of steps".
    /// </summary>
    public static string Format(EpochReport report, IReadOnlyList<TaskSpec> tasks, int epochs, bool adaptive = false)
    {
        ArgumentNullException.ThrowIfNull(report);
        var line = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        line.Append(c, $"Epoch {report.Epoch}/{epochs}: train loss {report.TrainLoss:F4}");
        AppendTasks(line, report.TaskTrainLosses, tasks);
        if (report.ValidationLoss is double validation)
        {
            line.Append(c, $", validation loss {validation:F4}");
            if (report.TaskValidationLosses is { } perTask)
                AppendTasks(line, perTask, tasks);
            if (report.IsBest)
                line.Append(" (best)");
        }
        if (adaptive)
        {
            line.Append(", loss weights");
            AppendTasks(line, report.LossWeights, tasks);
        }
        if (report.GradientConflicts is double conflicts)
            line.Append(c, $", gradients conflicted in {100 * conflicts:F0}% of steps");
        line.Append(c, $", {report.SamplesPerSecond:N0} rows/s");
        return line.ToString();
    }

    private static void AppendTasks(StringBuilder line, IReadOnlyList<double> losses, IReadOnlyList<TaskSpec> tasks)
    {
        if (losses.Count != tasks.Count || tasks.Count < 2)
            return;
        line.Append(" (");
        line.AppendJoin(", ", tasks.Select((t, i) => string.Create(CultureInfo.InvariantCulture, $"{t.Name} {losses[i]:F4}")));
        line.Append(')');
    }

    public void Dispose() => _channel.Dispose();
}
