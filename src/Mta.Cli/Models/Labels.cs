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

    private sealed class ClassValue
    {
        public string Value { get; set; } = "";
    }
}
