// Quality benchmark: one multi-task model against one-model-per-task ML.NET trainers on the bundled
// real data sets, and the MMoE paper's synthetic tasks. Prints Markdown tables and writes them to a file.
//   dotnet run --project tests/Mta.QualityBenchmark -c Release              # everything (tens of minutes)
//   dotnet run --project tests/Mta.QualityBenchmark -c Release -- --quick   # a few minutes
using System.CommandLine;
using System.Globalization;
using System.Diagnostics;
using System.Text;
using Microsoft.ML;
using Mta.QualityBenchmark;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

var quick = new Option<bool>("--quick") { Description = "Small subset: rotterdam and stackoverflow, one synthetic seed, one learning rate." };
var output = new Option<string>("--output") { Description = "Markdown results file.", DefaultValueFactory = _ => "quality-results.md" };
var datasetsOption = new Option<string[]>("--datasets") { Description = "Data sets to run (default: all, or the quick subset).", AllowMultipleArgumentsPerToken = true };
var syntheticSeeds = new Option<int>("--synthetic-seeds") { Description = "Seeds per (model, p) in the synthetic experiment (the protocol asks for ≥ 10).", DefaultValueFactory = _ => 10 };
var syntheticRates = new Option<double[]>("--synthetic-learning-rates") { Description = "Learning rates tried per synthetic model (best on validation wins).", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [1e-4, 1e-3, 1e-2] };
var modelsOption = new Option<string[]>("--models") { Description = "Models to run, by name (default: the six of the protocol).", AllowMultipleArgumentsPerToken = true };
var family = new Option<bool>("--family") { Description = $"Also run the rest of the family: {string.Join(", ", Models.Family)}." };   // from the list, so it cannot drift
var skipSynthetic = new Option<bool>("--skip-synthetic") { Description = "Run only the real data sets." };
var perClass = new Option<bool>("--per-class") { Description = "Also print each multiclass task's recall per class, per model." };
var syntheticModels = new Option<string[]>("--synthetic-models") { Description = "Synthetic models to run, by name (default: all three).", AllowMultipleArgumentsPerToken = true };
var seedsOption = new Option<int>("--seeds") { Description = "Training seeds per network (42, 43, ...): tables show metrics averaged over them and the mean main metric ± its standard deviation. The tree ensembles run once.", DefaultValueFactory = _ => 1 };
var experimentSeconds = new Option<int>("--experiment-seconds") { Description = "Instead of the model comparison: an AutoML-style experiment with this budget per data set, best vs defaults on test." };
var experimentFolds = new Option<int>("--experiment-folds") { Description = "With --experiment-seconds: folds of the cross-validated spread of the defaults and the best options.", DefaultValueFactory = _ => 5 };
var root = new RootCommand("Mta.MLNet quality benchmark") { quick, output, datasetsOption, syntheticSeeds, syntheticRates, modelsOption, family, skipSynthetic, experimentSeconds, experimentFolds, perClass, seedsOption, syntheticModels };
// The command as a shell would need it, so a results file's header can be pasted back: multi-word model names quoted.
string commandLine = string.Join(' ', args.Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"\"{a}\"" : a));
// libtorch's thread count changes the last digits of large matrix products, so a rerun needs the same setting.
string threads = Environment.GetEnvironmentVariable("OMP_NUM_THREADS") is { Length: > 0 } n ? $"OMP_NUM_THREADS={n} " : "";
root.SetAction(parse =>
{
    bool isQuick = parse.GetValue(quick);
    string outputPath = parse.GetValue(output)!;
    var names = parse.GetValue(datasetsOption) is { Length: > 0 } chosen ? chosen
        : isQuick ? ["rotterdam", "stackoverflow"] : DatasetSpec.All.Select(d => d.Name).ToArray();
    var unknown = names.Except(DatasetSpec.Known.Select(d => d.Name)).ToArray();
    if (unknown.Length > 0)
    {
        Console.Error.WriteLine($"Unknown data set(s): {string.Join(", ", unknown)}. Known: {string.Join(", ", DatasetSpec.Known.Select(d => d.Name))}.");
        return 2;
    }

    var models = parse.GetValue(modelsOption) is { Length: > 0 } pickedModels ? pickedModels : Models.Protocol;
    if (parse.GetValue(family))
        models = [.. models, .. Models.Family];
    var unknownModels = models.Except(Models.Names).ToArray();
    if (unknownModels.Length > 0)
    {
        Console.Error.WriteLine($"Unknown model(s): {string.Join(", ", unknownModels)}. Known: {string.Join(", ", Models.Names)}.");
        return 2;
    }

    if (parse.GetValue(experimentSeconds) is > 0 and var budget)
    {
        if (parse.GetValue(experimentFolds) < 2)
        {
            Console.Error.WriteLine("--experiment-folds must be at least 2.");
            return 2;
        }
        string experiments = ExperimentBenchmark.Run(names.Select(n => DatasetSpec.Known.First(d => d.Name == n)).ToArray(), budget, parse.GetValue(experimentFolds),
            Path.Combine(AppContext.BaseDirectory, "data"), Console.Out);
        Console.WriteLine(experiments);
        File.WriteAllText(outputPath, $"# Experiment results\n\nCommand: `dotnet run --project tests/Mta.QualityBenchmark -c Release -- {commandLine}`. " +
            $"Machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}.\n\n{experiments}");
        Console.WriteLine($"Results written to {Path.GetFullPath(outputPath)}");
        return 0;
    }

    if (parse.GetValue(seedsOption) < 1)
    {
        Console.Error.WriteLine("--seeds must be at least 1.");
        return 2;
    }
    int[] seeds = Enumerable.Range(42, parse.GetValue(seedsOption)).ToArray();

    var total = Stopwatch.StartNew();
    var report = new StringBuilder();
    report.AppendLine("# Quality benchmark results");
    report.AppendLine();
    report.AppendLine($"Command: `{threads}dotnet run --project tests/Mta.QualityBenchmark -c Release -- {commandLine}`. " +
        $"Machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}. Split: test = rows whose 0-based index % 5 == 4. " +
        "Every model uses default options; our networks hold out 10% of train for early stopping" +
        (seeds.Length > 1 ? $" and are trained with {seeds.Length} seeds ({string.Join(", ", seeds)}): their metrics are means over the seeds, and the mean main metric shows ± its standard deviation across them." : " (seed 42).") );
    report.AppendLine();

    var all = new List<(DatasetSpec, IReadOnlyList<ModelResult>)>();
    string dataFolder = Path.Combine(AppContext.BaseDirectory, "data");
    foreach (var dataset in DatasetSpec.Known.Where(d => names.Contains(d.Name)))
    {
        var ml = new MLContext(seed: 1);
        var (train, test) = dataset.Load(ml, dataFolder);
        var results = new List<ModelResult>();
        foreach (string model in Models.Names.Where(models.Contains))
        {
            Console.WriteLine($"{dataset.Name}: {model}...");
            results.Add(Models.Run(ml, model, dataset, train, test, seeds));
        }
        string table = Report.DatasetTable(dataset, results);
        if (parse.GetValue(perClass))
            table += Report.PerClassRecall(dataset, results);
        Console.WriteLine(table);
        report.Append(table);
        all.Add((dataset, results));
    }
    string summary = Report.Summary(all);
    Console.WriteLine(summary);
    report.AppendLine("## Summary");
    report.AppendLine();
    report.Append(summary);
    report.AppendLine();

    if (parse.GetValue(skipSynthetic))
    {
        File.WriteAllText(outputPath, report.ToString());
        Console.WriteLine($"Results written to {Path.GetFullPath(outputPath)}");
        return 0;
    }
    var syntheticOnly = parse.GetValue(syntheticModels) is { Length: > 0 } pickedSynthetic ? pickedSynthetic : null;
    if (syntheticOnly?.Except(SyntheticBenchmark.Names).ToArray() is { Length: > 0 } unknownSynthetic)
    {
        Console.Error.WriteLine($"Unknown synthetic model(s): {string.Join(", ", unknownSynthetic)}. Known: {string.Join(", ", SyntheticBenchmark.Names)}.");
        return 2;
    }
    Console.WriteLine("MMoE synthetic tasks...");
    string synthetic = isQuick
        ? SyntheticBenchmark.Run([0.5, 1.0], seeds: 1, learningRates: [1e-3], trainRows: 10_000, Console.Out, syntheticOnly)
        : SyntheticBenchmark.Run([0.5, 0.9, 1.0], seeds: parse.GetValue(syntheticSeeds), learningRates: parse.GetValue(syntheticRates)!, trainRows: 10_000, Console.Out, syntheticOnly);
    Console.WriteLine(synthetic);
    report.AppendLine("## MMoE synthetic tasks (Ma et al., KDD 2018, sec. 3.2)");
    report.AppendLine();
    report.Append(synthetic);
    report.AppendLine();
    report.AppendLine($"Total run time: {total.Elapsed.TotalMinutes:F1} min.");
    File.WriteAllText(outputPath, report.ToString());
    Console.WriteLine($"Results written to {Path.GetFullPath(outputPath)}");
    return 0;
});
return root.Parse(args).Invoke();
