// mta: the Mta.MLNet command-line tool. train | evaluate | score | inspect | experiment (see the README's "Batch scoring").
using System.CommandLine;
using System.Globalization;
using Mta.Cli;
using Mta.Cli.Commands;
using Mta.Cli.Data;
using Spectre.Console;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

var console = AnsiConsole.Console;
// Redirected output (logs, CI, tests) has no terminal width; Spectre would wrap at 80 columns and split lines.
if (Console.IsOutputRedirected)
    console.Profile.Width = 240;
var root = new RootCommand("Multi-task attention models for ML.NET: train, evaluate, score and inspect from the command line.")
{
    TrainCommand.Create(console),
    EvaluateCommand.Create(console),
    ScoreCommand.Create(console),
    InspectCommand.Create(console),
    ExperimentCommand.Create(console),
};

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
        Console.Error.WriteLine(error.Message);
    Console.Error.WriteLine("Run 'mta --help' or 'mta <command> --help' for usage.");
    return ExitCodes.Usage;
}
try
{
    return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = TimeSpan.FromSeconds(30) }).ConfigureAwait(false);
}
catch (Exception e)
{
    return Report(e);
}

static int Report(Exception e)
{
    switch (Unwrap(e))
    {
        case CliException cli:
            Console.Error.WriteLine($"error: {cli.Message}");
            return cli.ExitCode;
        case BadRowException bad:
            Console.Error.WriteLine($"error: bad row: {bad.Message} (use --on-bad-row skip to skip such rows)");
            return ExitCodes.BadInput;
        case OperationCanceledException:
            Console.Error.WriteLine("Cancelled.");
            return ExitCodes.Cancelled;
        default:
            Console.Error.WriteLine($"error: {e}");
            return ExitCodes.InternalError;
    }
}

// ML.NET and TorchSharp may wrap the exception that explains the failure.
static Exception Unwrap(Exception e)
{
    for (var current = e; current is not null; current = current.InnerException)
    {
        if (current is CliException or BadRowException or OperationCanceledException)
            return current;
    }
    return e;
}
