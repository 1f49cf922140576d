using System.Globalization;

namespace Mta.Cli.Scoring;

/// <summary>
/// A finished shard's record, <c>{output}.shard.json</c> beside the output of <c>mta score --shard i/n</c> (n &gt; 1): the
/// run's final checkpoint — which input and model, which shard, the output's length, the rows skipped as bad. From
/// the manifests of all n parts <c>mta merge</c> knows the input order without a row-index column.
/// </summary>
internal sealed record ShardManifest(string Part, ScoreState State, int Index, int Count)
{
    public const string Suffix = ".shard.json";

    public static ShardManifest Read(string part)
    {
        string path = part + Suffix;
        if (!File.Exists(part))
            throw CliException.BadInput($"Part '{part}' does not exist.");
        var state = ScoreState.Read(path)
            ?? throw CliException.BadInput($"Part '{part}' has no manifest '{path}': it is not the finished output of `mta score --shard i/n` (n > 1).");
        var shard = state.Shard.Split('/');
        var manifest = new ShardManifest(part, state, int.Parse(shard[0], CultureInfo.InvariantCulture), int.Parse(shard[1], CultureInfo.InvariantCulture));
        if (state.Output is not { } output || new FileInfo(part).Length != output.Length)
            throw CliException.BadInput($"Part '{part}' is not the file its manifest '{path}' describes ({new FileInfo(part).Length} bytes, the manifest says {state.Output?.Length}).");
        return manifest;
    }

    /// <summary>The parts in shard order, after checking that they are the n shards of one run, each exactly once.</summary>
    public static ShardManifest[] CheckComplete(IReadOnlyList<ShardManifest> parts)
    {
        var first = parts[0];
        foreach (var part in parts)
        {
            if (part.State.Mismatch(first.State with { Shard = part.State.Shard }) is string why)
                throw CliException.BadInput($"Parts '{first.Part}' and '{part.Part}' are not from one run: '{first.Part}' {why}.");
            if (part.Count != first.Count)
                throw CliException.BadInput($"Part '{part.Part}' is shard {part.State.Shard}, '{first.Part}' is shard {first.State.Shard}: the shard counts differ.");
        }
        var duplicate = parts.GroupBy(p => p.Index).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw CliException.BadInput($"Shard {duplicate.Key}/{first.Count} is given twice: {string.Join(", ", duplicate.Select(p => $"'{p.Part}'"))}.");
        var missing = Enumerable.Range(0, first.Count).Except(parts.Select(p => p.Index)).ToArray();
        if (missing.Length > 0)
            throw CliException.BadInput($"Shard(s) {string.Join(", ", missing.Select(m => $"{m}/{first.Count}"))} missing: the parts given are " +
                $"{string.Join(", ", parts.Select(p => $"'{p.Part}' ({p.State.Shard})"))}.");
        return [.. parts.OrderBy(p => p.Index)];
    }
}
