// Explainability: one model for three loan outcomes of different kinds (lending_club: default risk 'Class',
// interest rate 'int_rate', credit sub-grade 'sub_grade'), then what it learned about the tasks: the report's
// task × source attention, task affinity, loss weights and training curves, printed and saved as PNGs.
//
//   dotnet run --project examples/Explainability -c Release -- [architecture] [weighting] [output folder]
//   e.g. -- Ple Uncertainty docs/images     (defaults: Ple Uncertainty explainability-output)
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Mta.MLNet;
using Mta.MLNet.Plots;
using Mta.Models.Options;
using Mta.Models.Weighting;

var architecture = args.Length > 0 ? Enum.Parse<Architecture>(args[0], ignoreCase: true) : Architecture.Ple;
var weighting = args.Length > 1 ? Enum.Parse<LossWeightingKind>(args[1], ignoreCase: true) : LossWeightingKind.Uncertainty;
string output = args.Length > 2 ? args[2] : "explainability-output";

var ml = new MLContext(seed: 1);
string[] numeric = ["funded_amnt", "annual_inc", "delinq_2yrs", "inq_last_6mths", "revol_util", "acc_now_delinq", "open_il_6m",
    "open_il_12m", "open_il_24m", "total_bal_il", "all_util", "inq_fi", "inq_last_12m", "delinq_amnt", "num_il_tl", "total_il_high_credit_limit"];
string[] categorical = ["term", "addr_state", "verification_status", "emp_length"];
string[] header = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "data", "lending_club.csv")).First().Split(',').Select(h => h.Trim('"')).ToArray();
int Index(string name) => Array.IndexOf(header, name);
var loader = ml.Data.CreateTextLoader(
    [
        .. numeric.Select(n => new TextLoader.Column(n, DataKind.Single, Index(n))),
        .. categorical.Select(n => new TextLoader.Column(n, DataKind.String, Index(n))),
        new TextLoader.Column("int_rate", DataKind.Single, Index("int_rate")),
        new TextLoader.Column("sub_grade", DataKind.String, Index("sub_grade")),
        new TextLoader.Column("ClassText", DataKind.String, Index("Class")),
    ],
    separatorChar: ',', hasHeader: true, allowQuoting: true);
var data = loader.Load(Path.Combine(AppContext.BaseDirectory, "data", "lending_club.csv"));
var (train, test) = ml.MultiTask().SplitByRowIndex(data);

var pipeline = ml.Transforms.Conversion.MapValue("Class", new Dictionary<string, bool> { ["good"] = false, ["bad"] = true }, "ClassText")
    .Append(ml.Transforms.Conversion.MapValueToKey("sub_grade"))
    .Append(ml.Transforms.Categorical.OneHotEncoding([.. categorical.Select(c => new InputOutputColumnPair(c))]))
    .Append(ml.Transforms.Concatenate("Features", [.. numeric, .. categorical]))
    .Append(ml.MultiTask().Attention(new MultiTaskOptions
    {
        Tasks = [new TaskColumn("Class"), new TaskColumn("int_rate"), new TaskColumn("sub_grade")],
        Network = new NetworkOptions { Architecture = architecture },
        Training = new TrainingOptions { LossWeighting = weighting },
    }));

Console.WriteLine($"Training {architecture} with {weighting} loss weighting on lending_club (Class, int_rate, sub_grade)...");
var model = pipeline.Fit(train);
var metrics = ml.MultiTask().Evaluate(model.Transform(test), "Class", "int_rate", "sub_grade");
Console.WriteLine($"Test: Class AUC {metrics["Class"].Binary!.AreaUnderRocCurve:F3}, int_rate R² {metrics["int_rate"].Regression!.RSquared:F3}, " +
    $"sub_grade macro-accuracy {metrics["sub_grade"].Multiclass!.MacroAccuracy:F3}");

// The report measured on the test rows (model.LastTransformer.Report has the same on the training rows).
var report = model.LastTransformer.GetReport(ApplyFeaturization(model, test));
string F(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);
Console.WriteLine($"\nMean attention on {report.Rows:N0} test rows (rows: tasks; columns: {string.Join(" | ", report.Sources)}):");
for (int k = 0; k < report.Tasks.Count; k++)
    Console.WriteLine($"  {report.Tasks[k],-10} {string.Join("  ", report.MeanAttention[k].Select(F))}");
Console.WriteLine("Task affinity (cosine of mean attention):");
for (int k = 0; k < report.Tasks.Count; k++)
    Console.WriteLine($"  {report.Tasks[k],-10} {string.Join("  ", report.TaskAffinity[k].Select(F))}");
Console.WriteLine($"Final loss weights: {string.Join(", ", report.Tasks.Select((t, k) => $"{t} {F(report.LossWeights[k])}"))}");
Console.WriteLine($"Epochs trained: {report.History.Count}; best epoch {report.History.Last(e => e.IsBest).Epoch}.");

Directory.CreateDirectory(output);
ReportPlots.SaveTrainingCurves(report, Path.Combine(output, "training-curves.png"));
ReportPlots.SaveLossWeights(report, Path.Combine(output, "loss-weights.png"));
ReportPlots.SaveAttentionHeatmap(report, Path.Combine(output, "attention.png"));
ReportPlots.SaveTaskAffinity(report, Path.Combine(output, "task-affinity.png"));
Console.WriteLine($"\nPlots written to {Path.GetFullPath(output)}: training-curves.png, loss-weights.png, attention.png, task-affinity.png");

// GetReport scores the data with the multi-task transformer, so it needs the featurized columns: run the
// pipeline's transforms before the last one.
static IDataView ApplyFeaturization(TransformerChain<MultiTaskTransformer> model, IDataView data)
{
    foreach (var transformer in model.Take(model.Count() - 1))
        data = transformer.Transform(data);
    return data;
}
