// mta: the Mta.MLNet command-line tool. train | evaluate | score | inspect | experiment (see the README's "Batch scoring").
using System.CommandLine;
using System.Globalization;
using Mta.Cli;
using Mta.Cli.Commands;
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
    MergeCommand.Create(console),
};
root.Options.Add(CommonOptions.Verbose);

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
    return ErrorReport.Write(e, parsed.GetValue(CommonOptions.Verbose), Console.Error);
}
