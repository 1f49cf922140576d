using System.CommandLine;
using Mta.Cli.Data;
using Mta.MLNet;

namespace Mta.Cli.Commands;

/// <summary>Options shared by several verbs, parsed the same way everywhere.</summary>
internal static class CommonOptions
{
    /// <summary>Adds the stack trace to an error message (on every command).</summary>
    public static Option<bool> Verbose { get; } = new("--verbose") { Description = "On an error, also print the exception's stack trace.", Recursive = true };

    public static Option<string> Model() => new("--model") { Description = "Model file (.zip) written by `mta train` or mlContext.Model.Save.", Required = true };

    public static Option<string> BadRow() => Choice("--on-bad-row",
        "A row that cannot be read (wrong field count, a value of the wrong type): fail (stop, with its line and column) or skip (count it).",
        "fail", "fail", "skip");

    /// <summary>An option whose value is one of <paramref name="values"/> (any case): help lists them, a wrong one fails at parse time.</summary>
    public static Option<string> Choice(string name, string description, string defaultValue, params string[] values)
    {
        var option = new Option<string>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.AcceptOnlyFromAmong(StringComparer.OrdinalIgnoreCase, values);
        return option;
    }

    public static Option<ScoringDevice> Device() => new("--device")
    {
        Description = "cpu, cuda or cuda:N (CUDA needs ONNX Runtime's CUDA build: -p:MtaOnnxRuntimePackage=Microsoft.ML.OnnxRuntime.Gpu).",
        HelpName = "cpu|cuda|cuda:N",
        DefaultValueFactory = _ => ScoringDevice.Cpu,
        CustomParser = result =>
        {
            try
            {
                return ScoringDevice.Parse(result.Tokens[^1].Value);
            }
            catch (FormatException e)
            {
                result.AddError($"--device: {e.Message}");
                return null;
            }
        },
    };

    /// <summary>The field separator of a delimited-text data file; a wrong value fails at parse time.</summary>
    public static Option<char?> Separator() => new("--separator")
    {
        Description = "Field separator of a text data file: one character such as ';' or '|', or tab ('tab' or '\\t'). Default: tab for .tsv, else comma.",
        HelpName = "char|tab",
        CustomParser = result =>
        {
            string text = result.Tokens[^1].Value;
            if (text is "tab" or "\\t" or "\t")
                return '\t';
            if (text.Length == 1 && text[0] is not ('"' or '\r' or '\n'))
                return text[0];
            result.AddError($"--separator '{text}': give one character (e.g. ';'), or 'tab'.");
            return null;
        },
    };

    public static BadRowPolicy ParseBadRow(string value) => value.ToLowerInvariant() switch
    {
        "skip" => BadRowPolicy.Skip,
        _ => BadRowPolicy.Fail, // the parser accepts only fail and skip
    };

    /// <summary>"a,b" and repeated options alike: --ignore a,b --ignore c.</summary>
    public static string[] SplitList(IEnumerable<string>? values) => values is null ? []
        : values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
}
