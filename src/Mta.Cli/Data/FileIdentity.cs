namespace Mta.Cli.Data;

/// <summary>
/// Whether two paths name the same file: both resolved to absolute paths with every symbolic link (in any component)
/// followed, so "./a.csv", "../dir/a.csv" and a link to a.csv are all one file. Hard links are not detected.
/// </summary>
internal static class FileIdentity
{
    private const int MaxLinks = 40; // as Linux's ELOOP limit: a cycle of links ends with an error, not a hang

    public static bool Same(string a, string b) => string.Equals(RealPath(a), RealPath(b), OperatingSystem.IsWindows() || OperatingSystem.IsMacOS()
        ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    /// <summary>Refuses (exit 2) an output file, or a file the job writes beside it, that is one of the inputs.</summary>
    /// <param name="output">The --output path.</param>
    /// <param name="written">Suffixes of the files written beside it ("" for the output itself, ".partial", …).</param>
    /// <param name="inputs">The input files with the option or role that names them.</param>
    public static void RefuseOverwrite(string output, IEnumerable<string> written, IEnumerable<(string Path, string Role)> inputs)
    {
        foreach (var suffix in written)
        {
            foreach (var (path, role) in inputs)
            {
                if (Same(output + suffix, path))
                    throw CliException.Usage($"--output '{output}': {(suffix.Length == 0 ? "it" : $"'{output}{suffix}', which the job writes,")} is the {role} '{path}' " +
                        "(the same file, through another path or a link); an output never overwrites an input. Choose another --output.");
            }
        }
    }

    public static string RealPath(string path)
    {
        string full = Path.GetFullPath(path);
        for (int links = 0; links < MaxLinks; links++)
        {
            string? resolved = FollowFirstLink(full);
            if (resolved is null)
                return full;
            full = resolved;
        }
        throw CliException.Usage($"'{path}': too many levels of symbolic links.");
    }

    /// <summary>The path with its first linked component replaced by the link's target, or null if no component is a link.</summary>
    private static string? FollowFirstLink(string full)
    {
        string root = Path.GetPathRoot(full) ?? "";
        var parts = full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        string current = root;
        for (int i = 0; i < parts.Length; i++)
        {
            current = Path.Combine(current, parts[i]);
            FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (info.LinkTarget is not string target)
                continue;
            string parent = Path.GetDirectoryName(current) ?? root;
            return Path.GetFullPath(Path.Combine([Path.Combine(parent, target), .. parts[(i + 1)..]]));
        }
        return null;
    }
}
