using System.Globalization;
using System.Text;

namespace Mta.QualityBenchmark;

/// <summary>Markdown tables of the tabular results.</summary>
internal static class Report
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string DatasetTable(DatasetSpec dataset, IReadOnlyList<ModelResult> results)
    {
        var single = results.FirstOrDefault(r => r.Model == "Ours single-task");
        var lightGbm = results.FirstOrDefault(r => r.Model == "LightGBM per task");
        var first = results[0].Tasks;
        var metricHeaders = first.SelectMany(t => t.SecondaryName is null ? [$"{t.Task} {t.MainName}"] : new[] { $"{t.Task} {t.MainName}", $"{t.Task} {t.SecondaryName}" });
        var sb = new StringBuilder();
        sb.AppendLine(Invariant, $"### {dataset.Name}");
        sb.AppendLine();
        sb.AppendLine($"| model | {string.Join(" | ", metricHeaders)} | mean main | Δ_MTL vs single-task | Δ vs LightGBM | fit s | size KB |");
        sb.AppendLine($"|---|{string.Concat(metricHeaders.Select(_ => "---|"))}---|---|---|---|---|");
        foreach (var r in results)
        {
            var cells = r.Tasks.SelectMany(t => t.Secondary is double s ? [F(t.Main), F(s)] : new[] { F(t.Main) });
            sb.AppendLine(Invariant,
                $"| {r.Model} | {string.Join(" | ", cells)} | {MeanMain(r)} | {Delta(r, single)} | {Delta(r, lightGbm)} | {r.FitSeconds:F1} | {r.ModelBytes / 1024.0:F0} |");
        }
        sb.AppendLine();
        return sb.ToString();
    }

    /// <summary>
    /// Per multiclass task, each model's recall of every class (macro-accuracy is their mean): shows whether a lower
    /// macro-accuracy comes from neglecting rare classes.
    /// </summary>
    public static string PerClassRecall(DatasetSpec dataset, IReadOnlyList<ModelResult> results)
    {
        var text = new System.Text.StringBuilder();
        foreach (var task in results[0].Tasks.Where(t => t.PerClassRecall is not null).Select(t => t.Task))
        {
            int classes = results.Max(r => r.Tasks.First(t => t.Task == task).PerClassRecall?.Count ?? 0);
            text.AppendLine($"#### {dataset.Name}: {task}, recall per class (class index in key order)");
            text.AppendLine();
            text.AppendLine("| model | " + string.Join(" | ", Enumerable.Range(0, classes)) + " | macro-accuracy | balanced rule |");
            text.AppendLine("|---|" + string.Concat(Enumerable.Repeat("---|", classes + 2)));
            foreach (var result in results)
            {
                var score = result.Tasks.First(t => t.Task == task);
                var recall = score.PerClassRecall ?? [];
                string balanced = score.BalancedMacroAccuracy is double b ? F(b) : "–";
                text.AppendLine($"| {result.Model} | " + string.Join(" | ", recall.Select(r => r.ToString("F3", Invariant))) + $" | {F(score.Main)} | {balanced} |");
            }
            text.AppendLine();
        }
        if (text.Length > 0)
        {
            text.AppendLine("Balanced rule: the macro-accuracy of the same scores when each class's score is divided by its share of the training labels before the arg-max (MulticlassDecision.Balanced's rule, applied to every model alike; – for a model that already decides that way).");
            text.AppendLine();
        }
        return text.ToString();
    }

    public static string Summary(IReadOnlyList<(DatasetSpec Dataset, IReadOnlyList<ModelResult> Results)> all)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"| model | {string.Join(" | ", all.Select(a => $"{a.Dataset.Name} mean main (Δ vs LightGBM)"))} |");
        sb.AppendLine($"|---|{string.Concat(all.Select(_ => "---|"))}");
        foreach (string model in Models.Names.Where(m => all.All(a => a.Results.Any(r => r.Model == m))))
        {
            var cells = all.Select(a =>
            {
                var r = a.Results.First(x => x.Model == model);
                var lgbm = a.Results.FirstOrDefault(x => x.Model == "LightGBM per task");
                return $"{MeanMain(r)} ({Delta(r, lgbm)})";
            });
            sb.AppendLine($"| {model} | {string.Join(" | ", cells)} |");
        }
        sb.AppendLine();
        sb.AppendLine("Main metric per task: AUC (binary), macro-accuracy (multiclass), R² (regression); Δ in % over all metrics (log-loss and RMSE counted lower-is-better), LibMTL's Δ_MTL.");
        return sb.ToString();
    }

    private static string Delta(ModelResult r, ModelResult? baseline) =>
        baseline is null ? "–" : string.Create(Invariant, $"{r.DeltaVersus(baseline):+0.00;-0.00;0.00}%");

    private static string F(double v) => v.ToString("F4", Invariant);

    /// <summary>The mean main metric, with its spread over seeds when the model was trained with several.</summary>
    private static string MeanMain(ModelResult r) => r.MeanMainSd is double sd ? $"{F(r.MeanMain)} ± {F(sd)}" : F(r.MeanMain);
}
