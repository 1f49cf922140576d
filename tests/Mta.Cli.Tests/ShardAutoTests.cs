using System.Collections;
using Mta.Cli.Scoring;

namespace Mta.Cli.Tests;

/// <summary>`--shard auto`: the shard from a Slurm job array's or a Kubernetes indexed Job's environment.</summary>
[TestClass]
public sealed class ShardAutoTests
{
    private static readonly string[] s_schedulerVariables =
        ["SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_MAX", "SLURM_ARRAY_TASK_STEP", "JOB_COMPLETION_INDEX"];

    [TestMethod]
    [DataRow("SLURM_ARRAY_TASK_ID=2,SLURM_ARRAY_TASK_COUNT=4", null, 2, 4)]
    [DataRow("SLURM_ARRAY_TASK_ID=3,SLURM_ARRAY_TASK_COUNT=4,SLURM_ARRAY_TASK_MIN=1,SLURM_ARRAY_TASK_MAX=4", null, 2, 4)]
    [DataRow("SLURM_ARRAY_TASK_ID=5,SLURM_ARRAY_TASK_MIN=5,SLURM_ARRAY_TASK_MAX=7", null, 0, 3)]
    [DataRow("SLURM_ARRAY_TASK_ID=4,SLURM_ARRAY_TASK_MIN=0,SLURM_ARRAY_TASK_MAX=6,SLURM_ARRAY_TASK_STEP=2", null, 2, 4)]
    [DataRow("JOB_COMPLETION_INDEX=3", 5, 3, 5)]
    public void TheShardComesFromTheScheduler(string variables, int? shardCount, int index, int count)
    {
        var shard = ShardSpec.Resolve("auto", shardCount, Environment(variables));
        Assert.AreEqual((index, count), (shard.Index, shard.Count), shard.Source);
    }

    [TestMethod]
    [DataRow("", null, "neither SLURM_ARRAY_TASK_ID")]
    [DataRow("SLURM_ARRAY_TASK_ID=1", null, "SLURM_ARRAY_TASK_COUNT")]
    [DataRow("SLURM_ARRAY_TASK_ID=9,SLURM_ARRAY_TASK_COUNT=4", null, "not one of the array's 4 tasks")]
    [DataRow("JOB_COMPLETION_INDEX=0", null, "needs --shard-count")]
    [DataRow("JOB_COMPLETION_INDEX=4", 4, "not below --shard-count 4")]
    [DataRow("SLURM_ARRAY_TASK_ID=0,SLURM_ARRAY_TASK_COUNT=4", 3, "disagrees")]
    public void AMissingOrInconsistentEnvironmentIsAUsageError(string variables, int? shardCount, string message)
    {
        var error = Assert.ThrowsExactly<CliException>(() => ShardSpec.Resolve("auto", shardCount, Environment(variables)));
        Assert.AreEqual(2, error.ExitCode);
        StringAssert.Contains(error.Message, message);
    }

    [TestMethod]
    public void AutoScoresTheSameRowsAsTheExplicitShard()
    {
        string folder = Tool.TempFolder();
        string explicitShard = Path.Combine(folder, "explicit.csv"), auto = Path.Combine(folder, "auto.csv");
        Assert.AreEqual(0, Tool.Run("score", "--model", TrainedModel.Path, "--input", Tool.Rotterdam, "--output", explicitShard, "--shard", "2/4").ExitCode);

        var slurm = new Dictionary<string, string?> { ["SLURM_ARRAY_TASK_ID"] = "3", ["SLURM_ARRAY_TASK_MIN"] = "1", ["SLURM_ARRAY_TASK_MAX"] = "4", ["JOB_COMPLETION_INDEX"] = null };
        var result = Tool.Run(slurm, "score", "--model", TrainedModel.Path, "--input", Tool.Rotterdam, "--output", auto, "--shard", "auto");

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Output, "Shard 2/4 (SLURM_ARRAY_TASK_ID=3");
        CollectionAssert.AreEqual(File.ReadAllBytes(explicitShard), File.ReadAllBytes(auto));
    }

    [TestMethod]
    public void AutoWithoutASchedulerExitsWith2()
    {
        var none = s_schedulerVariables.ToDictionary(v => v, _ => (string?)null);
        var result = Tool.Run(none, "score", "--model", TrainedModel.Path, "--input", Tool.Rotterdam, "--output", Path.Combine(Tool.TempFolder(), "x.csv"), "--shard", "auto");
        Assert.AreEqual(2, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Error, "--shard auto");
    }

    private static Hashtable Environment(string variables)
    {
        var environment = new Hashtable();
        foreach (var pair in variables.Split(',', StringSplitOptions.RemoveEmptyEntries))
            environment[pair.Split('=')[0]] = pair.Split('=')[1];
        return environment;
    }
}
