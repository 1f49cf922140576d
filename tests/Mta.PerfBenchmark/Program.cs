// Performance benchmark (issue #4): training throughput against PyTorch on the same net and loop, our step-time
// breakdown, and scoring throughput against ML.NET's ApplyOnnxModel, PredictionEngine and raw ONNX Runtime.
// Prints Markdown tables (ratios measured in one run) and writes them to --output.
//
//   dotnet run --project tests/Mta.PerfBenchmark -c Release -- --output docs/results/performance.md
//   dotnet run --project tests/Mta.PerfBenchmark -c Release -- --section weighting --output docs/results/weighting-cost.md
//   (PyTorch reference: apt-get install python3-torch libopenblas0-pthread — Debian's PyTorch uses the system BLAS,
//    which is the slow reference BLAS unless OpenBLAS is installed; the table names the BLAS in use.)
using System.CommandLine;
using System.Globalization;
using System.Text;
using Mta.PerfBenchmark;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (args is ["--memory-child", var childMode, var childRows])
    return MemoryBenchmark.ChildMain(childMode, long.Parse(childRows, CultureInfo.InvariantCulture));

var output = new Option<string>("--output") { Description = "Markdown results file.", DefaultValueFactory = _ => "performance-results.md" };
var section = new Option<string>("--section") { Description = "training, scoring, memory, fuzz, weighting or all.", DefaultValueFactory = _ => "all" };
var threads = new Option<int>("--threads") { Description = "Threads for TorchSharp and PyTorch.", DefaultValueFactory = _ => 2 };
var epochs = new Option<int>("--epochs") { Description = "Training epochs per run (the first is not counted).", DefaultValueFactory = _ => 4 };
var python = new Option<string>("--python") { Description = "Python with PyTorch for the reference.", DefaultValueFactory = _ => "/usr/bin/python3" };
var scoringRows = new Option<int>("--scoring-rows") { Description = "Rows scored per measurement.", DefaultValueFactory = _ => 50_000 };
var repeats = new Option<int>("--repeats") { Description = "Training runs per side (ours, PyTorch), alternating; the median is reported.", DefaultValueFactory = _ => 3 };
var fuzzCount = new Option<int>("--fuzz-count") { Description = "Mutated model files in the loader fuzz.", DefaultValueFactory = _ => 2000 };
var quick = new Option<bool>("--quick") { Description = "Small net only, fewer rows." };
var root = new RootCommand("Mta.MLNet performance benchmark") { output, section, threads, epochs, python, scoringRows, quick, repeats, fuzzCount };
root.SetAction(parse =>
{
    string which = parse.GetValue(section)!;
    if (which is not ("training" or "scoring" or "memory" or "fuzz" or "weighting" or "all"))
    {
        Console.Error.WriteLine($"--section must be training, scoring, memory, fuzz, weighting or all, not '{which}'.");
        return 2;
    }
    bool isQuick = parse.GetValue(quick);
    var report = new StringBuilder();
    report.AppendLine("# Performance benchmark results");
    report.AppendLine();
    report.AppendLine($"Command: `dotnet run --project tests/Mta.PerfBenchmark -c Release -- {string.Join(' ', args)}`. " +
        $"Machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, no GPU.");
    report.AppendLine();
    if (which is "training" or "all")
    {
        var shapes = isQuick ? new[] { TrainingBenchmark.Small with { Rows = 20_000 } } : [TrainingBenchmark.Small, TrainingBenchmark.Big];
        string training = TrainingBenchmark.Run(shapes, parse.GetValue(epochs), parse.GetValue(threads), batch: 256, parse.GetValue(repeats), parse.GetValue(python)!, Console.Out);
        Console.WriteLine(training);
        report.AppendLine("## Training throughput");
        report.AppendLine();
        report.Append(training);
        report.AppendLine();
    }
    if (which is "weighting" or "all")
    {
        var shapes = isQuick
            ? new[] { TrainingBenchmark.Small with { Rows = 5_000 } }
            : [TrainingBenchmark.Small with { Rows = 20_000 }, TrainingBenchmark.Big with { Rows = 5_000 }];
        string cost = WeightingCostBenchmark.Run(shapes, Math.Max(2, parse.GetValue(epochs) - 1), parse.GetValue(threads), batch: 256, Console.Out);
        Console.WriteLine(cost);
        report.AppendLine("## Training step time by loss weighting");
        report.AppendLine();
        report.Append(cost);
        report.AppendLine();
    }
    if (which is "scoring" or "all")
    {
        int rows = isQuick ? 10_000 : parse.GetValue(scoringRows);
        string scoring = ScoringBenchmark.Run(rows, [1, 16, 256, 1024, 8192], Console.Out);
        Console.WriteLine(scoring);
        report.AppendLine("## Scoring throughput");
        report.AppendLine();
        report.Append(scoring);
        report.AppendLine();
    }
    if (which is "memory" or "all")
    {
        long[] sizes = isQuick ? [100_000, 400_000] : [1_000_000, 4_000_000, 16_000_000];
        string memory = MemoryBenchmark.Run(sizes, inMemoryRows: sizes[0], Console.Out);
        Console.WriteLine(memory);
        report.AppendLine("## Memory: streaming Fit");
        report.AppendLine();
        report.Append(memory);
    }
    if (which is "fuzz" or "all")
    {
        string fuzz = FuzzBenchmark.Run(isQuick ? 200 : parse.GetValue(fuzzCount), Console.Out);
        Console.WriteLine(fuzz);
        report.AppendLine();
        report.AppendLine("## Loader fuzz");
        report.AppendLine();
        report.Append(fuzz);
    }
    File.WriteAllText(parse.GetValue(output)!, report.ToString());
    Console.WriteLine($"Results written to {Path.GetFullPath(parse.GetValue(output)!)}");
    return 0;
});
return root.Parse(args).Invoke();
