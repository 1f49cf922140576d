using Mta.Cli.Data;

namespace Mta.Cli;

/// <summary>
/// Turns an exception that ends a command into one line on stderr and an exit code. Errors the library raises for
/// bad input (ArgumentException and its kin, InvalidDataException, FormatException) are the user's: one line, exit 3.
/// Anything else is a bug or an environment problem: exit 1 with the full exception. <c>--verbose</c> adds the stack
/// trace to every error.
/// </summary>
internal static class ErrorReport
{
    public static int Write(Exception e, bool verbose, TextWriter error)
    {
        var cause = Unwrap(e);
        var (code, message) = cause switch
        {
            CliException cli => (cli.ExitCode, cli.Message),
            BadRowException bad => (ExitCodes.BadInput, $"bad row: {bad.Message} (use --on-bad-row skip to skip such rows)"),
            OperationCanceledException => (ExitCodes.Cancelled, "Cancelled."),
            ArgumentException argument when IsUserError(argument) => (ExitCodes.BadInput, WithoutParameterName(argument)),
            InvalidDataException or FormatException => (ExitCodes.BadInput, cause.Message),
            _ => (ExitCodes.InternalError, e.ToString()),
        };
        error.WriteLine(code == ExitCodes.Cancelled ? message : $"error: {message}");
        if (verbose && code != ExitCodes.InternalError)
            error.WriteLine(e.ToString());
        return code;
    }

    /// <summary>A null argument is the caller's bug, never the user's data.</summary>
    private static bool IsUserError(ArgumentException e) => e is not ArgumentNullException;

    // "… (Parameter 'tasks')" names a C# parameter the user never sees.
    private static string WithoutParameterName(ArgumentException e) =>
        e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);

    // ML.NET and TorchSharp may wrap the exception that explains the failure.
    private static Exception Unwrap(Exception e)
    {
        for (var current = e; current is not null; current = current.InnerException)
        {
            if (current is CliException or BadRowException or OperationCanceledException or InvalidDataException or FormatException
                || current is ArgumentException argument && IsUserError(argument))
                return current;
        }
        return e;
    }
}
