using System.CommandLine;

namespace Mta.Cli.Commands;

/// <summary>The options that choose which rows train and which measure: --cv and --group (evaluate, experiment).</summary>
internal static class SplitOptions
{
    public static Option<int?> Cv(string description) => new("--cv") { Description = description };

    public static Option<string?> Group() => new("--group")
    {
        Description = "A column (a patient, a user) whose rows stay together in one fold or on one side of a split; it is not a feature.",
    };

    /// <summary>Null when absent; otherwise at least 2, or a usage error naming --cv.</summary>
    public static int? CheckFolds(int? folds) => folds is int k && k < 2
        ? throw CliException.Usage($"--cv {k}: cross-validation needs at least 2 folds.")
        : folds;

    /// <summary>
    /// Runs ML.NET's evaluators on chosen rows; a binary task with one outcome only among them (a small test file or
    /// fold) is a data error naming the rows, not a crash.
    /// </summary>
    public static T Measure<T>(Func<T> evaluate, string rows)
    {
        try
        {
            return evaluate();
        }
        catch (ArgumentOutOfRangeException e) when (e.ParamName is "PosSample" or "NegSample")
        {
            throw CliException.BadInput($"{rows}: {e.Message.Split('\n')[0].Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal)}; " +
                "every binary task needs both outcomes among the rows measured.", e);
        }
    }

    /// <summary>
    /// The library's fold-count errors (more folds than rows, a fold left empty) as a data error naming --cv:
    /// the command line is valid, the file is too small for it.
    /// </summary>
    public static CliException FoldsError(int folds, ArgumentOutOfRangeException e) =>
        CliException.BadInput($"--cv {folds}: {e.Message.Split('\n')[0].Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal)}", e);
}
