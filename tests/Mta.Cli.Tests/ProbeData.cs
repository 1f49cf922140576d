namespace Mta.Cli.Tests;

/// <summary>Variants of the bundled Rotterdam CSV for the probes (its fields hold no commas, so a split is exact).</summary>
internal static class ProbeData
{
    /// <summary>Rotterdam with <paramref name="column"/>'s value replaced by <paramref name="change"/>(value, 0-based row index).</summary>
    public static string WithColumn(string folder, string name, string column, Func<string, int, string> change, int rows = int.MaxValue)
    {
        var lines = File.ReadAllLines(Tool.Rotterdam);
        int c = Array.IndexOf(lines[0].Split(',').Select(h => h.Trim('"')).ToArray(), column);
        Assert.IsGreaterThanOrEqualTo(0, c, column);
        string path = Path.Combine(folder, name);
        File.WriteAllLines(path, lines.Take(1).Concat(lines.Skip(1).Take(rows).Select((line, r) =>
        {
            var fields = line.Split(',');
            fields[c] = change(fields[c], r);
            return string.Join(',', fields);
        })));
        return path;
    }

    /// <summary>An options file for a quick training run (one small epoch budget).</summary>
    public static string QuickOptions(string folder)
    {
        string path = Path.Combine(folder, "quick.json");
        File.WriteAllText(path, """{ "Training": { "Epochs": 2, "Seed": 3 }, "Network": { "ExpertCount": 2, "ExpertHiddenSizes": [8] } }""");
        return path;
    }

    /// <summary>Labels as given (name, name:kind, name:binary=value); any further arguments (options) after the first one starting with "--".</summary>
    public static Tool.Result Train(string folder, string dataset, params string[] labels)
    {
        var extra = labels.SkipWhile(l => !l.StartsWith("--", StringComparison.Ordinal)).ToArray();
        labels = labels[..^extra.Length];
        var args = new List<string> { "train", "--dataset", dataset, "--ignore", "pid,rtime,dtime", "--options", QuickOptions(folder), "--output", Path.Combine(folder, "model.zip") };
        foreach (var label in labels)
            args.AddRange(["--label", label]);
        args.AddRange(extra);
        return Tool.Run([.. args]);
    }
}
