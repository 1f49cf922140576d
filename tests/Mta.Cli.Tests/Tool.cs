using System.Diagnostics;
using System.Text;

namespace Mta.Cli.Tests;

/// <summary>Runs the mta tool (the mta.dll built beside the tests) as a separate process.</summary>
internal static class Tool
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "mta.dll");

    public static string Rotterdam => Path.Combine(AppContext.BaseDirectory, "data", "rotterdam.csv");

    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
    }

    public static Result Run(params string[] args) => Run(TimeSpan.FromMinutes(3), args);

    public static Result Run(TimeSpan timeout, params string[] args) => Run(timeout, new Dictionary<string, string?>(), args);

    /// <summary>Runs the tool with these environment variables set (a null value removes the variable).</summary>
    public static Result Run(IReadOnlyDictionary<string, string?> environment, params string[] args) => Run(TimeSpan.FromMinutes(3), environment, args);

    private static Result Run(TimeSpan timeout, IReadOnlyDictionary<string, string?> environment, string[] args)
    {
        using var process = Start(environment, args);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"mta {string.Join(' ', args)} did not finish within {timeout}.");
        }
        process.WaitForExit();
        return new Result(process.ExitCode, output.Result, error.Result);
    }

    public static Process Start(params string[] args) => Start(new Dictionary<string, string?>(), args);

    private static Process Start(IReadOnlyDictionary<string, string?> environment, string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add(Dll);
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment)
        {
            if (value is null)
                info.Environment.Remove(name);
            else
                info.Environment[name] = value;
        }
        return Process.Start(info) ?? throw new InvalidOperationException("Could not start dotnet.");
    }

    /// <summary>A fresh folder for one test's files.</summary>
    public static string TempFolder()
    {
        string folder = Path.Combine(Path.GetTempPath(), "mta-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }
}
