using System.CommandLine;
using System.Globalization;
using Mta.Cli.Data;
using Mta.Cli.Scoring;
using Spectre.Console;

namespace Mta.Cli.Commands;

/// <summary><c>mta merge</c>: the outputs of <c>mta score --shard i/n</c>, one per shard, into one file in input order (see <see cref="ShardMerge"/>).</summary>
internal static class MergeCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var parts = new Argument<string[]>("parts") { Description = "The n shard outputs (.csv or .tsv, each with its .shard.json manifest), in any order.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--output") { Description = "The merged file (.csv or .tsv). Written to {output}.partial, renamed when done.", Required = true };
        var command = new Command("merge", "Join the shard outputs of `mta score --shard` into one file in input order, refusing a missing or repeated shard.") { parts, output };
        command.SetAction(parse =>
        {
            string target = parse.GetValue(output)!;
            var manifests = parse.GetValue(parts)!.Select(ShardManifest.Read).ToArray();
            FileIdentity.RefuseOverwrite(target, ["", ".partial"],
                manifests.SelectMany(m => new[] { (m.Part, "part"), (m.Part + ShardManifest.Suffix, "manifest"), (m.State.Input, "scored input") }));
            var ordered = ShardManifest.CheckComplete(manifests);
            long rows = ShardMerge.Run(ordered, target);
            console.WriteLine($"Merged {ordered.Length} shards, {rows.ToString("N0", CultureInfo.InvariantCulture)} rows, into {target}.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
