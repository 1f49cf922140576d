using System.Globalization;
using Mta.Cli.Data;
using Mta.Models.Tasks;

namespace Mta.Cli.Models;

/// <summary>A label column as the model learns it.</summary>
/// <param name="Column">The column (and task) name.</param>
/// <param name="Kind">Task kind.</param>
/// <param name="Positive">Binary: the value that means true.</param>
/// <param name="Classes">
/// Multiclass: the class values in key order: the order they first occur in the file, as ML.NET's <c>MapValueToKey</c>
/// numbers them; <c>mta train</c> then orders them by the rows it trains on (see <see cref="Labels.InTrainingOrder"/>).
/// </param>
internal sealed record ResolvedLabel(string Column, TaskKind Kind, string? Positive, IReadOnlyList<string>? Classes);

/// <summary>What <c>mta train</c> learns from a data file before training: label kinds, and numeric vs text features.</summary>
/// <param name="Features">Every feature column in the file's order: the order of the feature vector.</param>
internal sealed record InferredColumns(IReadOnlyList<ResolvedLabel> Labels, IReadOnlyList<string> NumericFeatures,
    IReadOnlyList<string> TextFeatures, IReadOnlyList<string> Notes, IReadOnlyList<string> Features);

/// <summary>
/// One pass over the file, every column read as text: a column whose non-missing values all parse as numbers is
/// numeric, otherwise text (one-hot encoded). Labels get their kind, positive value or classes from their values.
/// </summary>
internal static class ColumnInference
{
    /// <summary>More distinct values than this: a text feature is taken for an identifier and left out.</summary>
    public const int MaxTextCategories = 1000;

    private const int MaxClasses = 1000;

    public static InferredColumns Infer(DataFile path, IReadOnlyList<LabelSpec> labels, IReadOnlyCollection<string> ignored, BadRowPolicy policy)
    {
        var names = TableReader.ColumnNamesOf(path);
        var unknown = labels.Select(l => l.Column).Concat(ignored).Where(n => !names.Contains(n)).ToArray();
        if (unknown.Length > 0)
            throw CliException.BadInput($"{path}: column(s) {string.Join(", ", unknown.Select(u => $"'{u}'"))} not found. The file has: {string.Join(", ", names)}.");
        var duplicate = labels.GroupBy(l => l.Column, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw CliException.Usage($"--label '{duplicate.Key}' is given twice.");
        var labelled = labels.Select(l => l.Column).Intersect(ignored).ToArray();
        if (labelled.Length > 0)
            throw CliException.Usage($"Column(s) {string.Join(", ", labelled)} are both a --label and in --ignore.");

        var stats = Scan(path, names, policy);
        var resolved = labels.Select(l => Resolve(path, l, stats[l.Column])).ToArray();
        var numeric = new List<string>();
        var text = new List<string>();
        var features = new List<string>();
        var notes = new List<string>();
        foreach (var name in names)
        {
            if (ignored.Contains(name) || labels.Any(l => l.Column == name))
                continue;
            var s = stats[name];
            if (!s.IsNumeric && s.Distinct.Count > MaxTextCategories)
            {
                notes.Add($"Column '{name}' has more than {MaxTextCategories} distinct text values and looks like an identifier; it is not used (add it to --ignore to silence this).");
                continue;
            }
            (s.IsNumeric ? numeric : text).Add(name);
            features.Add(name);
        }
        if (numeric.Count + text.Count == 0)
            throw CliException.BadInput($"{path}: no feature columns are left after the labels and --ignore.");
        return new InferredColumns(resolved, numeric, text, notes, features);
    }

    private static Dictionary<string, ColumnStats> Scan(DataFile path, IReadOnlyList<string> names, BadRowPolicy policy)
    {
        var stats = names.ToDictionary(n => n, _ => new ColumnStats());
        var requests = names.Select(n => new ColumnRequest(n, ColumnType.Text)).ToArray();
        using var reader = TableReader.Open(path, requests, RowFilter.All);
        long rows = 0;
        while (true)
        {
            try
            {
                if (!reader.MoveNext())
                    break;
            }
            catch (BadRowException) when (policy == BadRowPolicy.Skip)
            {
                continue;
            }
            rows++;
            for (int c = 0; c < requests.Length; c++)
                stats[names[c]].Add(reader.Current.Texts[c].Span);
        }
        if (rows == 0)
            throw CliException.BadInput($"{path}: no data rows.");
        return stats;
    }

    private static ResolvedLabel Resolve(DataFile path, LabelSpec spec, ColumnStats stats)
    {
        string where = $"{path}: label column '{spec.Column}'";
        if (stats.Distinct.Count == 0)
            throw CliException.BadInput($"{where} has no values.");
        var kind = spec.Kind ?? (stats.IsNumeric && stats.Distinct.Keys.All(v => v is "0" or "1") ? TaskKind.Binary
            : stats.IsNumeric ? TaskKind.Regression
            : stats.Distinct.Count == 2 ? TaskKind.Binary : TaskKind.Multiclass);
        switch (kind)
        {
            case TaskKind.Regression:
                if (!stats.IsNumeric)
                    throw CliException.BadInput($"{where} is a regression label but has values that are not numbers (e.g. '{stats.FirstNonNumber}').");
                return new ResolvedLabel(spec.Column, kind, null, null);
            case TaskKind.Binary:
                var values = stats.Distinct.Keys.ToArray();
                if (values.Length > 2)
                    throw CliException.BadInput($"{where} is a binary label but has {(stats.Distinct.Count > MaxClasses ? "more than " + MaxClasses : values.Length.ToString(CultureInfo.InvariantCulture))} distinct values.");
                var positive = spec.Positive ?? DefaultPositive(values)
                    ?? throw CliException.Usage($"{where} has values {string.Join(", ", values.Order(StringComparer.Ordinal).Select(v => $"'{v}'"))}: " +
                        $"say which one is positive, e.g. --label {spec.Column}:binary={values.Order(StringComparer.Ordinal).First()}.");
                if (!values.Contains(positive))
                    throw CliException.BadInput($"{where} never has the positive value '{positive}'; its values are {string.Join(", ", values.Select(v => $"'{v}'"))}.");
                return new ResolvedLabel(spec.Column, kind, positive, null);
            default:
                if (stats.Distinct.Count > MaxClasses)
                    throw CliException.BadInput($"{where} has more than {MaxClasses} classes.");
                if (stats.Distinct.Count < 2)
                    throw CliException.BadInput($"{where} is a multiclass label with a single class '{stats.Distinct.Keys.First()}'.");
                return new ResolvedLabel(spec.Column, kind, null, [.. stats.InOrder]);
        }
    }

    /// <summary>
    /// The value that reads as true when every value reads as a Boolean (1/0, true/false, t/f, yes/no, y/n, any case)
    /// and exactly one reads as true; null when the values do not say.
    /// </summary>
    private static string? DefaultPositive(IReadOnlyList<string> values)
    {
        var truthy = new List<string>();
        foreach (var value in values)
        {
            if (!ValueParser.TryParseBoolean(value, out bool flag))
                return null;
            if (flag)
                truthy.Add(value);
        }
        return truthy.Count == 1 ? truthy[0] : null;
    }

    private sealed class ColumnStats
    {
        public Dictionary<string, bool> Distinct { get; } = new(StringComparer.Ordinal);

        /// <summary>The distinct values in the order they first occur (a dictionary's enumeration order is not specified).</summary>
        public List<string> InOrder { get; } = [];

        public bool IsNumeric { get; private set; } = true;

        public string? FirstNonNumber { get; private set; }

        public void Add(ReadOnlySpan<char> value)
        {
            if (!ValueParser.TryParseNumber(value, out double number))
            {
                IsNumeric = false;
                FirstNonNumber ??= value.ToString();
            }
            else if (double.IsNaN(number))
            {
                return; // missing: neither a class nor evidence about the type
            }
            if (Distinct.Count <= MaxClasses && Distinct.TryAdd(value.ToString(), true))
                InOrder.Add(value.ToString());
        }
    }
}
