using System.Diagnostics;

namespace Mta.Cli.Tests;

/// <summary>`mta train` progress: a bar over the epochs on a terminal, one plain line per epoch when redirected.</summary>
[TestClass]
public sealed class TrainProgressTests
{
    [TestMethod]
    public void RedirectedTrainingPrintsOneLinePerEpoch()
    {
        string folder = Tool.TempFolder();
        var result = ProbeData.Train(folder, Tool.Rotterdam, "death", "recur");
        Assert.AreEqual(0, result.ExitCode, result.ToString());
        Assert.HasCount(2, result.Output.Split('\n').Where(l => l.StartsWith("  epoch ", StringComparison.Ordinal)).ToArray(), result.Output);
    }

    [TestMethod]
    public void OnATerminalTrainingShowsABarWithTheBestValidationLoss()
    {
        if (!File.Exists("/usr/bin/script"))
            Assert.Inconclusive("util-linux `script` (a pseudo-terminal) is not installed.");
        string folder = Tool.TempFolder();
        string command = $"dotnet '{Tool.Dll}' train --dataset '{Tool.Rotterdam}' --label death --label recur --ignore pid,rtime,dtime " +
            $"--options '{ProbeData.QuickOptions(folder)}' --output '{Path.Combine(folder, "model.zip")}'";
        var info = new ProcessStartInfo("/usr/bin/script", ["-qec", command, "/dev/null"]) { RedirectStandardOutput = true, UseShellExecute = false };
        info.Environment["TERM"] = "xterm-256color";
        using var process = Process.Start(info)!;
        string output = process.StandardOutput.ReadToEnd();
        Assert.IsTrue(process.WaitForExit(TimeSpan.FromMinutes(2)));

        Assert.AreEqual(0, process.ExitCode, output);
        StringAssert.Contains(output, "epoch 2/2");
        StringAssert.Contains(output, "best validation loss");
        StringAssert.Contains(output, "100%");
        Assert.DoesNotContain("  epoch   1  train loss", output, "no plain epoch lines on a terminal");
    }
}
