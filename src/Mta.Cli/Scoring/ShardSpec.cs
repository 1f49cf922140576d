using System.Collections;
using System.Globalization;

namespace Mta.Cli.Scoring;

/// <summary>
/// <c>--shard</c>: <c>i/n</c>, or <c>auto</c> — the index and count from the scheduler that started this process:
/// a Slurm job array (SLURM_ARRAY_TASK_ID with SLURM_ARRAY_TASK_COUNT, or with SLURM_ARRAY_TASK_MIN/MAX/STEP) or a
/// Kubernetes indexed Job (JOB_COMPLETION_INDEX, with the count from <c>--shard-count</c>, as no variable gives a
/// Job's completions).
/// </summary>
internal sealed record ShardSpec(int Index, int Count, string Source)
{
    public static ShardSpec Resolve(string text, int? shardCount, IDictionary environment)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            if (shardCount is not null)
                throw CliException.Usage("--shard-count goes with --shard auto (with --shard i/n, n is the count).");
            return Parse(text);
        }
        if (shardCount is < 1)
            throw CliException.Usage($"--shard-count {shardCount}: must be at least 1.");
        var spec = Get(environment, "SLURM_ARRAY_TASK_ID") is not null ? FromSlurm(environment)
            : Get(environment, "JOB_COMPLETION_INDEX") is string k8s ? FromIndexedJob(k8s, shardCount)
            : throw CliException.Usage("--shard auto: neither SLURM_ARRAY_TASK_ID (a Slurm job array task) nor JOB_COMPLETION_INDEX " +
                "(a Kubernetes indexed Job) is set; give --shard i/n.");
        if (shardCount is int n && n != spec.Count)
            throw CliException.Usage($"--shard-count {n} disagrees with the scheduler's {spec.Count} tasks ({spec.Source}).");
        return spec;
    }

    private static ShardSpec Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int i)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1 && i < n)
            return new ShardSpec(i, n, "--shard");
        throw CliException.Usage($"--shard '{text}' is not i/n with 0 <= i < n (e.g. 0/4), nor auto.");
    }

    /// <summary>Array indexes need not start at 0 (--array=1-4) and may step (--array=0-6:2): the shard is the task's rank.</summary>
    private static ShardSpec FromSlurm(IDictionary environment)
    {
        int id = Number(environment, "SLURM_ARRAY_TASK_ID")!.Value;
        int min = Number(environment, "SLURM_ARRAY_TASK_MIN") ?? 0;
        int step = Number(environment, "SLURM_ARRAY_TASK_STEP") ?? 1;
        int? count = Number(environment, "SLURM_ARRAY_TASK_COUNT");
        if (Number(environment, "SLURM_ARRAY_TASK_MAX") is int max && count is null)
            count = (max - min) / Math.Max(step, 1) + 1;
        string source = $"SLURM_ARRAY_TASK_ID={id}, min {min}, step {step}";
        if (count is not int n)
            throw CliException.Usage($"--shard auto: {source}, but neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MAX is set.");
        if (step < 1 || id < min || (id - min) % step != 0 || (id - min) / step >= n)
            throw CliException.Usage($"--shard auto: {source} is not one of the array's {n} tasks.");
        return new ShardSpec((id - min) / step, n, source);
    }

    private static ShardSpec FromIndexedJob(string indexText, int? shardCount)
    {
        if (!int.TryParse(indexText, NumberStyles.None, CultureInfo.InvariantCulture, out int index))
            throw CliException.Usage($"--shard auto: JOB_COMPLETION_INDEX '{indexText}' is not a number.");
        if (shardCount is not int n)
            throw CliException.Usage($"--shard auto: JOB_COMPLETION_INDEX={index} (a Kubernetes indexed Job) needs --shard-count (the Job's completions).");
        if (index >= n)
            throw CliException.Usage($"--shard auto: JOB_COMPLETION_INDEX={index} is not below --shard-count {n}.");
        return new ShardSpec(index, n, $"JOB_COMPLETION_INDEX={index}");
    }

    private static string? Get(IDictionary environment, string name) => environment[name] as string is { Length: > 0 } value ? value : null;

    private static int? Number(IDictionary environment, string name) => Get(environment, name) is not string text ? null
        : int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) ? value
        : throw CliException.Usage($"--shard auto: {name} '{text}' is not a number.");

    public override string ToString() => $"{Index}/{Count}";
}
