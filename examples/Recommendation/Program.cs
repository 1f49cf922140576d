// Attention pooling over sets: one model reads each user's recent items (a variable-length ML.NET vector column) and
// predicts two tasks that need different items: will the user click a promoted category-1 item (it depends on their
// recent items), and what rating will they give (it depends on the prices of their category-3/4 items). The data is
// synthetic (SyntheticRecommendations in tests/Mta.SampleData), so the right answer is known; compare with LightGBM
// per task on the items averaged into fixed features, which is what ML.NET offers for a list without this package.
//   dotnet run --project examples/Recommendation -c Release -- [--train-rows 20000] [--epochs 30] [--seed 1]
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Mta.MLNet;
using Mta.Models.Options;
using Mta.SampleData;
using Recommendation;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var trainRows = new Option<int>("--train-rows") { Description = "Synthetic users to train on (5,000 more are the test set).", DefaultValueFactory = _ => 20_000 };
var epochs = new Option<int>("--epochs") { Description = "Maximum epochs (early stopping on a 10% hold-out).", DefaultValueFactory = _ => 30 };
var seed = new Option<int>("--seed") { Description = "Seed of the data and of training.", DefaultValueFactory = _ => 1 };
var root = new RootCommand("Mta.MLNet: attention pooling over a user's items (synthetic recommendation data)") { trainRows, epochs, seed };
root.SetAction(parse =>
{
    int s = parse.GetValue(seed);
    var ml = new MLContext(seed: s);
    var generator = new SyntheticRecommendations(s, maxItems: 20);
    var train = ml.Data.LoadFromEnumerable(generator.Rows(parse.GetValue(trainRows)).Select(User.From).ToArray());
    var testUsers = generator.Rows(5_000);
    var test = ml.Data.LoadFromEnumerable(testUsers.Select(User.From).ToArray());

    var clock = Stopwatch.StartNew();
    var estimator = ml.MultiTask().Attention(new MultiTaskOptions
    {
        FeatureColumnName = "Items",
        Tasks = [new TaskColumn("Click"), new TaskColumn("Rating")],
        Network = new NetworkOptions { Architecture = Architecture.SetAttention, Set = new SetOptions { ItemWidth = SyntheticRecommendations.ItemWidth }, ExpertHiddenSizes = [32, 32] },
        Training = new() { Epochs = parse.GetValue(epochs), EarlyStoppingPatience = 5, Seed = s },
    });
    using var model = estimator.Fit(train);
    double ours = clock.Elapsed.TotalSeconds;
    var scored = model.Transform(test);
    var metrics = ml.MultiTask().Evaluate(scored, "Click", "Rating");

    clock.Restart();
    var click = ml.BinaryClassification.Trainers.LightGbm(labelColumnName: "Click", featureColumnName: "MeanPooled").Fit(train);
    var rating = ml.Regression.Trainers.LightGbm(labelColumnName: "Rating", featureColumnName: "MeanPooled").Fit(train);
    double lightGbm = clock.Elapsed.TotalSeconds;
    var lgbmClick = ml.BinaryClassification.Evaluate(click.Transform(test), "Click");
    var lgbmRating = ml.Regression.Evaluate(rating.Transform(test), "Rating");

    Console.WriteLine($"{parse.GetValue(trainRows):N0} training users, 5,000 test users, 0-20 items each (synthetic).");
    Console.WriteLine();
    Console.WriteLine("| task | metric | set attention (one model) | LightGBM per task on mean-pooled items |");
    Console.WriteLine("|---|---|---|---|");
    Console.WriteLine($"| Click | AUC | {metrics["Click"].Binary!.AreaUnderRocCurve:F4} | {lgbmClick.AreaUnderRocCurve:F4} |");
    Console.WriteLine($"| Rating | R² | {metrics["Rating"].Regression!.RSquared:F4} | {lgbmRating.RSquared:F4} |");
    Console.WriteLine($"| Rating | RMSE | {metrics["Rating"].Regression!.RootMeanSquaredError:F4} | {lgbmRating.RootMeanSquaredError:F4} |");
    Console.WriteLine($"| both | fit time | {ours:F1} s | {lightGbm:F1} s |");

    // Which items each task read: mean weight of an item of each kind over the test users.
    var clickWeights = scored.GetColumn<float[]>("Click.Attention").ToArray();
    var ratingWeights = scored.GetColumn<float[]>("Rating.Attention").ToArray();
    var kinds = new (string Name, Func<float[], int, bool> Is)[]
    {
        ("recent (< 14 days)", (items, t) => items[t * 6 + 5] < 14),
        ("older", (items, t) => items[t * 6 + 5] >= 14),
        ("category 3 or 4", (items, t) => items[t * 6 + 2] == 1 || items[t * 6 + 3] == 1),
        ("category 1 or 2", (items, t) => items[t * 6] == 1 || items[t * 6 + 1] == 1),
    };
    Console.WriteLine();
    Console.WriteLine("Mean attention weight of one item, by kind (a user's weights sum to 1 per task):");
    Console.WriteLine();
    Console.WriteLine("| item kind | Click | Rating |");
    Console.WriteLine("|---|---|---|");
    foreach (var (name, isKind) in kinds)
    {
        double clickSum = 0, ratingSum = 0;
        int count = 0;
        for (int u = 0; u < testUsers.Count; u++)
        {
            for (int t = 0; t < clickWeights[u].Length; t++)
            {
                if (!isKind(testUsers[u].Items, t))
                    continue;
                clickSum += clickWeights[u][t];
                ratingSum += ratingWeights[u][t];
                count++;
            }
        }
        Console.WriteLine($"| {name} | {clickSum / count:F3} | {ratingSum / count:F3} |");
    }

    // The model file: save with ML.NET, reload for batched scoring, same predictions.
    string path = Path.Combine(Path.GetTempPath(), "mta-recommendation-model.zip");
    ml.Model.Save(model, train.Schema, path);
    using var reloaded = (IDisposable)ml.MultiTask().Load(path, out _);
    bool same = scored.GetColumn<float>("Rating.Score").SequenceEqual(((ITransformer)reloaded).Transform(test).GetColumn<float>("Rating.Score"));
    Console.WriteLine();
    Console.WriteLine($"Saved to {path} ({new FileInfo(path).Length / 1024.0:F0} KiB); reloaded predictions identical: {(same ? "yes" : "NO")}.");
    return same ? 0 : 1;
});
return root.Parse(args).Invoke();
