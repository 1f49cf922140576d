// Convolutional attention on Fashion-MNIST: one model for the 10-way item class and a coarse group (tops, bottoms,
// footwear, bags). Prints both tasks' test metrics and saves a PNG of where each task looks in a few test images.
//   sudo apt-get install dataset-fashion-mnist
//   dotnet run --project examples/FashionMnist -c Release -- [--train-rows 60000] [--epochs 30] [--output docs/images]
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using FashionMnist;
using Microsoft.ML;
using Microsoft.ML.Data;
using Mta.MLNet;
using Mta.MLNet.Plots;
using Mta.Models.Options;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var data = new Option<string>("--data") { Description = "Folder with the IDX files.", DefaultValueFactory = _ => "/usr/share/datasets/fashion-mnist" };
var trainRows = new Option<int>("--train-rows") { Description = "Training images to use (of 60,000).", DefaultValueFactory = _ => 60_000 };
var epochs = new Option<int>("--epochs") { Description = "Maximum epochs (early stopping on a 10% hold-out).", DefaultValueFactory = _ => 30 };
var output = new Option<string>("--output") { Description = "Folder for fashion-attention.png.", DefaultValueFactory = _ => "." };
var saveOnnx = new Option<bool>("--save-onnx") { Description = "Also write the trained network as ONNX (fashion.onnx, batched) next to the PNG." };
var root = new RootCommand("Mta.MLNet: convolutional attention on Fashion-MNIST") { data, trainRows, epochs, output, saveOnnx };
root.SetAction(parse =>
{
    var clock = Stopwatch.StartNew();
    var ml = new MLContext(seed: 1);
    var train = ml.Data.LoadFromEnumerable(FashionMnistData.Load(parse.GetValue(data)!, "train", parse.GetValue(trainRows)));
    var testRows = FashionMnistData.Load(parse.GetValue(data)!, "t10k", 10_000);
    var test = ml.Data.LoadFromEnumerable(testRows);

    // Keys in a fixed class order, so "Item.PredictedLabel" and the metrics use the dataset's own order.
    IDataView Classes(string[] names) => ml.Data.LoadFromEnumerable(names.Select(n => new ClassName { Value = n }));
    var pipeline = ml.Transforms.Conversion.MapValueToKey("Item", keyData: Classes(FashionMnistData.Items))
        .Append(ml.Transforms.Conversion.MapValueToKey("Group", keyData: Classes(FashionMnistData.Groups)))
        .Append(ml.MultiTask().Attention(new MultiTaskOptions
        {
            FeatureColumnName = "Pixels",
            Tasks = [new TaskColumn("Item"), new TaskColumn("Group")],
            Network = new NetworkOptions
            {
                Architecture = Architecture.ConvolutionalAttention,
                Image = new ImageOptions { ImageShape = [1, 28, 28], ConvChannels = [32, 64, 128] },
                TowerHiddenSizes = [64],
            },
            Training = new() { Epochs = parse.GetValue(epochs), BatchSize = 128, LearningRate = 1e-3, EarlyStoppingPatience = 5, Seed = 7 },
            Progress = new ConsoleProgress(),
        }));
    Console.WriteLine($"Training on {parse.GetValue(trainRows):N0} images...");
    var model = pipeline.Fit(train);
    var scored = model.Transform(test);
    var metrics = ml.MultiTask().Evaluate(scored, "Item", "Group");
    foreach (var task in metrics.Tasks)
        Console.WriteLine($"  {task.Task,-5} test accuracy = {task.Multiclass!.MicroAccuracy:P2}  macro-accuracy = {task.Multiclass.MacroAccuracy:P2}  log-loss = {task.Multiclass.LogLoss:F3}");
    Console.WriteLine($"Total time {clock.Elapsed.TotalMinutes:F1} min.");

    // Where each task looks: the first image of a few classes.
    var attentionItem = scored.GetColumn<float[]>("Item.Attention").ToArray();
    var attentionGroup = scored.GetColumn<float[]>("Group.Attention").ToArray();
    var predicted = ml.Transforms.Conversion.MapKeyToValue("ItemText", "Item.PredictedLabel").Fit(scored).Transform(scored)
        .GetColumn<ReadOnlyMemory<char>>("ItemText").Select(t => t.ToString()).ToArray();
    var shown = Shown.Classes
        .Select(name => Array.FindIndex(testRows, r => r.Item == name)).ToArray();
    int grid = (int)Math.Round(Math.Sqrt(attentionItem[0].Length));
    string path = Path.Combine(parse.GetValue(output)!, "fashion-attention.png");
    ImageAttentionPlots.Save(path, 28, 28, grid, grid, ["item attention", "group attention"],
        shown.Select(i => new ImageAttention(testRows[i].Pixels, $"{testRows[i].Item} → {predicted[i]}", [attentionItem[i], attentionGroup[i]])).ToArray());
    Console.WriteLine($"Attention maps of {shown.Length} test images: {Path.GetFullPath(path)}");
    if (parse.GetValue(saveOnnx))
        File.WriteAllBytes(Path.Combine(parse.GetValue(output)!, "fashion.onnx"), model.LastTransformer.BatchedOnnxModel);
    model.LastTransformer.Dispose();
    return 0;
});
return root.Parse(args).Invoke();

internal static class Shown
{
    public static readonly string[] Classes = ["Sneaker", "Trouser", "Bag", "Shirt", "Ankle boot"];
}

internal sealed class ClassName
{
    public string Value { get; set; } = "";
}

internal sealed class ConsoleProgress : IProgress<Mta.Models.Training.EpochReport>
{
    public void Report(Mta.Models.Training.EpochReport r) =>
        Console.WriteLine($"  epoch {r.Epoch,2}: train loss {r.TrainLoss:F4}, validation loss {r.ValidationLoss:F4}{(r.IsBest ? " *" : "")}, {r.SamplesPerSecond:N0} images/s");
}
