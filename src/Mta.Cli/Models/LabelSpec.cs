using Mta.Models.Tasks;

namespace Mta.Cli.Models;

/// <summary>
/// A <c>--label</c> argument: <c>name</c>, <c>name:kind</c> or <c>name:binary=positive</c>, kind one of binary,
/// multiclass, regression (omitted: inferred from the column's values).
/// </summary>
internal sealed record LabelSpec(string Column, TaskKind? Kind, string? Positive)
{
    public static LabelSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string column = text, rest = "";
        int colon = text.LastIndexOf(':');
        if (colon > 0)
        {
            column = text[..colon];
            rest = text[(colon + 1)..];
        }
        if (column.Trim().Length == 0)
            throw CliException.Usage($"--label '{text}': the column name is empty.");
        string? positive = null;
        int equals = rest.IndexOf('=', StringComparison.Ordinal);
        if (equals >= 0)
        {
            positive = rest[(equals + 1)..];
            rest = rest[..equals];
        }
        TaskKind? kind = rest.ToLowerInvariant() switch
        {
            "" => null,
            "binary" => TaskKind.Binary,
            "multiclass" => TaskKind.Multiclass,
            "regression" => TaskKind.Regression,
            _ => throw CliException.Usage($"--label '{text}': kind '{rest}' is not one of binary, multiclass, regression."),
        };
        if (positive is not null && kind != TaskKind.Binary)
            throw CliException.Usage($"--label '{text}': '=positive' is only for binary labels (name:binary=value).");
        return new LabelSpec(column, kind, positive);
    }
}
