namespace Mta.Cli.Data;

/// <summary>
/// A data file and how to read it: Parquet by extension (.parquet), otherwise delimited text with a header row whose
/// field separator is <see cref="Separator"/> (comma; tab for .tsv unless --separator says otherwise).
/// </summary>
internal sealed record DataFile(string Path, char Separator)
{
    public bool IsParquet => TableReader.IsParquet(Path);

    /// <summary>The file read with the --separator given (null: tab for .tsv, else comma).</summary>
    public static DataFile Of(string path, char? separator) => new(path, separator ?? DefaultSeparator(path));

    /// <summary>Tab for .tsv (and .tab), else comma.</summary>
    public static char DefaultSeparator(string path) =>
        path.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".tab", StringComparison.OrdinalIgnoreCase) ? '\t' : ',';

    /// <summary>The path, as error messages name the file.</summary>
    public override string ToString() => Path;
}
