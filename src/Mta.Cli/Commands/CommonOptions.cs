using System.CommandLine;
using Mta.Cli.Data;
using Mta.MLNet;

namespace Mta.Cli.Commands;

/// <summary>Options shared by several verbs, parsed the same way everywhere.</summary>
internal static class CommonOptions
{
    public static Option<string> Model() => new("--model") { Description = "Model file (.zip) written by `mta train` or mlContext.Model.Save.", Required = true };

    public static Option<string> BadRow() => new("--on-bad-row")
    {
        Description = "A row that cannot be read (wrong field count, a value of the wrong type): fail (stop, with its line and column) or skip (count it).",
        DefaultValueFactory = _ => "fail",
    };

    public static Option<string> Device() => new("--device")
    {
        Description = "cpu, cuda or cuda:N (CUDA needs ONNX Runtime's CUDA build: -p:MtaOnnxRuntimePackage=Microsoft.ML.OnnxRuntime.Gpu).",
        DefaultValueFactory = _ => "cpu",
    };

    public static BadRowPolicy ParseBadRow(string value) => value.ToLowerInvariant() switch
    {
        "fail" => BadRowPolicy.Fail,
        "skip" => BadRowPolicy.Skip,
        _ => throw CliException.Usage($"--on-bad-row '{value}' is not one of: fail, skip."),
    };

    public static ScoringDevice ParseDevice(string value)
    {
        try
        {
            return ScoringDevice.Parse(value);
        }
        catch (FormatException e)
        {
            throw CliException.Usage($"--device: {e.Message}");
        }
    }

    /// <summary>"a,b" and repeated options alike: --ignore a,b --ignore c.</summary>
    public static string[] SplitList(IEnumerable<string>? values) => values is null ? []
        : values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
}
