using System.CommandLine;
using System.Globalization;
using Mta.Cli.Data;
using Mta.Cli.Scoring;
using Spectre.Console;

namespace Mta.Cli.Commands;

/// <summary><c>mta score</c>: a batch scoring job (see <see cref="ScoreJob"/> and the README's "Batch scoring").</summary>
internal static class ScoreCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var model = CommonOptions.Model();
        var input = new Option<string>("--input") { Description = "Rows to score: CSV with a header row (tab separated for .tsv; see --separator), or .parquet.", Required = true };
        var output = new Option<string>("--output") { Description = "Where to write: .csv or .parquet (by extension). Written to {output}.partial, renamed when done.", Required = true };
        var keep = new Option<string[]>("--keep") { Description = "Input columns copied to the output (comma separated or repeated; 'none' for none). Default: all." };
        var batchSize = new Option<int>("--batch-size") { Description = "Rows per ONNX Runtime call, and per commit for CSV output.", DefaultValueFactory = _ => 8192 };
        var shard = new Option<string>("--shard")
        {
            Description = "i/n: score only rows whose 0-based index % n == i (n machines, one shard each, cover the file exactly once). " +
                "auto: i and n from a Slurm job array (SLURM_ARRAY_TASK_*) or a Kubernetes indexed Job (JOB_COMPLETION_INDEX with --shard-count).",
            DefaultValueFactory = _ => "0/1",
        };
        var shardCount = new Option<int?>("--shard-count") { Description = "With --shard auto in a Kubernetes indexed Job: the Job's completions (the shard count)." };
        var resume = new Option<bool>("--resume") { Description = "Continue an interrupted run from its last commit ({output}.partial.json); no row is lost or written twice." };
        var attention = new Option<bool>("--attention") { Description = "Also write each task's attention weights ({task}.Attention.{i})." };
        var rowGroup = new Option<int>("--parquet-row-group") { Description = "Rows per Parquet row group (and per commit for Parquet output).", DefaultValueFactory = _ => 131_072 };
        var interval = new Option<double>("--progress-interval") { Description = "Seconds between progress lines when the output is not a terminal.", DefaultValueFactory = _ => 10 };
        var badRow = CommonOptions.BadRow();
        var device = CommonOptions.Device();
        var separator = CommonOptions.Separator();
        var command = new Command("score", "Score a file with a model: streaming, batched, resumable, shardable.")
        {
            model, input, output, keep, batchSize, shard, shardCount, resume, badRow, device, attention, rowGroup, interval, separator,
        };
        command.SetAction((parse, cancellation) =>
        {
            var shardSpec = ShardSpec.Resolve(parse.GetValue(shard)!, parse.GetValue(shardCount), Environment.GetEnvironmentVariables());
            if (shardSpec.Source != "--shard")
                console.WriteLine($"Shard {shardSpec} ({shardSpec.Source}).");
            int batch = parse.GetValue(batchSize);
            if (batch < 1)
                throw CliException.Usage($"--batch-size {batch}: must be at least 1.");
            int groupRows = parse.GetValue(rowGroup);
            if (groupRows < 1)
                throw CliException.Usage($"--parquet-row-group {groupRows}: must be at least 1.");
            var keepList = parse.GetValue(keep) is { Length: > 0 } k ? CommonOptions.SplitList(k) : null;
            if (keepList is ["none"])
                keepList = [];
            FileIdentity.RefuseOverwrite(parse.GetValue(output)!, ScoreJob.WrittenBesideOutput,
                [(parse.GetValue(input)!, "--input"), (parse.GetValue(model)!, "--model")]);
            var settings = new ScoreSettings(parse.GetValue(model)!, parse.GetValue(input)!, parse.GetValue(output)!, keepList, batch,
                shardSpec.Index, shardSpec.Count, parse.GetValue(resume), CommonOptions.ParseBadRow(parse.GetValue(badRow)!), parse.GetValue(device)!,
                parse.GetValue(attention), groupRows, TimeSpan.FromSeconds(Math.Max(0.1, parse.GetValue(interval))), parse.GetValue(separator));
            bool interactive = console.Profile.Capabilities.Interactive && !Console.IsOutputRedirected;
            var summary = ScoreJob.Run(console, settings, interactive, cancellation);
            string rate = (summary.RowsThisRun / Math.Max(summary.Elapsed.TotalSeconds, 1e-3)).ToString("N0", CultureInfo.InvariantCulture);
            if (!summary.Completed)
            {
                console.MarkupLine($"[yellow]Interrupted[/] after {summary.RowsWritten:N0} rows; rerun with --resume to continue.");
                return Task.FromResult(ExitCodes.Cancelled);
            }
            console.MarkupLine($"Scored {summary.RowsWritten.ToString("N0", CultureInfo.InvariantCulture)} rows into {Markup.Escape(settings.Output)} " +
                $"({rate} rows/s this run); {summary.BadRows.ToString(CultureInfo.InvariantCulture)} bad row(s) skipped.");
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }
}
