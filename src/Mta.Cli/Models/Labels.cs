using Microsoft.ML;
using Mta.Cli.Data;
using Mta.MLNet;
using Mta.Models.Tasks;

namespace Mta.Cli.Models;

/// <summary>How label columns are read and turned into what the estimator and ML.NET's evaluators expect.</summary>
internal static class Labels
{
    /// <summary>Binary: Single 1/0/NaN from the positive value (Boolean when there is none); multiclass: text (keyed by <see cref="ToKeys"/>); regression: Single.</summary>
    public static ColumnRequest Request(ResolvedLabel label) => label.Kind switch
    {
        TaskKind.Binary when label.Positive is null => new ColumnRequest(label.Column, ColumnType.Boolean),
        TaskKind.Binary => new ColumnRequest(label.Column, ColumnType.Single, label.Positive),
        TaskKind.Multiclass => new ColumnRequest(label.Column, ColumnType.Text),
        _ => new ColumnRequest(label.Column, ColumnType.Single),
    };

    /// <summary>Multiclass label text → key, with the classes in the model's order (unknown values → missing).</summary>
    public static IDataView ToKeys(MLContext mlContext, IDataView data, IEnumerable<ResolvedLabel> labels)
    {
        foreach (var label in labels.Where(l => l.Kind == TaskKind.Multiclass))
        {
            var classes = mlContext.Data.LoadFromEnumerable(label.Classes!.Select(c => new ClassValue { Value = c }));
            data = mlContext.Transforms.Conversion.MapValueToKey(label.Column, label.Column, keyData: classes).Fit(data).Transform(data);
        }
        return data;
    }

    public static TaskColumn Task(ResolvedLabel label) => new(label.Column, label.Kind);

    /// <summary>
    /// The labels with each multiclass label's classes in the order they first occur in <paramref name="rows"/> (keyed
    /// by <see cref="ToKeys"/> with <paramref name="labels"/>), which is how ML.NET's <c>MapValueToKey</c> fitted on
    /// those rows numbers them: the class index decides which output unit, with its own initial weights, learns the
    /// class, so training on the same rows needs the same numbering. Classes absent from the rows keep their order after
    /// the others. Reads the rows until every class has occurred.
    /// </summary>
    public static IReadOnlyList<ResolvedLabel> InTrainingOrder(IDataView rows, IReadOnlyList<ResolvedLabel> labels)
    {
        var multiclass = labels.Where(l => l.Kind == TaskKind.Multiclass).ToArray();
        if (multiclass.Length == 0)
            return labels;
        var columns = multiclass.Select(l => rows.Schema[l.Column]).ToArray();
        var order = multiclass.Select(_ => new List<uint>()).ToArray();
        var seen = multiclass.Select(_ => new HashSet<uint>()).ToArray();
        using (var cursor = rows.GetRowCursor(columns))
        {
            var getters = columns.Select(cursor.GetGetter<uint>).ToArray();
            int complete = 0;
            while (complete < multiclass.Length && cursor.MoveNext())
            {
                for (int k = 0; k < getters.Length; k++)
                {
                    if (order[k].Count == multiclass[k].Classes!.Count)
                        continue;
                    uint key = 0;
                    getters[k](ref key);
                    // Key 0 is a missing label.
                    if (key != 0 && seen[k].Add(key))
                    {
                        order[k].Add(key);
                        if (order[k].Count == multiclass[k].Classes!.Count)
                            complete++;
                    }
                }
            }
        }
        var reordered = multiclass.Select((label, k) =>
        {
            var classes = order[k].Select(key => label.Classes![(int)key - 1]).ToList();
            classes.AddRange(label.Classes!.Where((_, c) => !seen[k].Contains((uint)c + 1)));
            return label with { Classes = classes };
        }).ToDictionary(l => l.Column);
        return labels.Select(l => reordered.GetValueOrDefault(l.Column, l)).ToArray();
    }

    private sealed class ClassValue
    {
        public string Value { get; set; } = "";
    }
}
