namespace Mta.Cli;

/// <summary>The tool's exit codes (documented in the README's "Batch scoring" section).</summary>
internal static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Ok = 0;

    /// <summary>An unexpected error (a bug, or an environment problem such as a full disk).</summary>
    public const int InternalError = 1;

    /// <summary>The command line is wrong: unknown option, missing value, malformed --label or --shard.</summary>
    public const int Usage = 2;

    /// <summary>The data is wrong: missing column, a bad row (with --on-bad-row fail), unreadable data file.</summary>
    public const int BadInput = 3;

    /// <summary>The model file is missing or not a readable model.</summary>
    public const int BadModel = 4;

    /// <summary>The requested device is not available (e.g. cuda without ONNX Runtime's CUDA build).</summary>
    public const int DeviceUnavailable = 5;

    /// <summary>Stopped by Ctrl+C / SIGTERM; with score, rerun with --resume to continue.</summary>
    public const int Cancelled = 130;
}

/// <summary>An error the tool reports as one line and an exit code, without a stack trace.</summary>
internal sealed class CliException(int exitCode, string message, Exception? inner = null) : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;

    public static CliException Usage(string message) => new(ExitCodes.Usage, message);

    public static CliException BadInput(string message, Exception? inner = null) => new(ExitCodes.BadInput, message, inner);
}
