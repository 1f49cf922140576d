// Quickstart: one multi-task model for two outcomes of a breast-cancer cohort (Rotterdam, 2,982 patients):
// recurrence and death. Fit, evaluate each task with ML.NET's evaluator, save, reload, predict one patient.
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Mta.MLNet;

var mlContext = new MLContext(seed: 1);
string dataPath = Path.Combine(AppContext.BaseDirectory, "data", "rotterdam.csv");

// pid is an id; rtime and dtime are follow-up times that leak the labels: they are not loaded.
var loader = mlContext.Data.CreateTextLoader(
    [
        new TextLoader.Column("year", DataKind.Single, 1),
        new TextLoader.Column("age", DataKind.Single, 2),
        new TextLoader.Column("meno", DataKind.Single, 3),
        new TextLoader.Column("size", DataKind.String, 4),
        new TextLoader.Column("grade", DataKind.Single, 5),
        new TextLoader.Column("nodes", DataKind.Single, 6),
        new TextLoader.Column("pgr", DataKind.Single, 7),
        new TextLoader.Column("er", DataKind.Single, 8),
        new TextLoader.Column("hormon", DataKind.Single, 9),
        new TextLoader.Column("chemo", DataKind.Single, 10),
        new TextLoader.Column("recur", DataKind.Boolean, 12),
        new TextLoader.Column("death", DataKind.Boolean, 14),
    ],
    separatorChar: ',', hasHeader: true, allowQuoting: true);
var data = loader.Load(dataPath);

// The fixed split used throughout the project: test = rows whose 0-based index % 5 == 4.
var (train, test) = mlContext.MultiTask().SplitByRowIndex(data, folds: 5, testFold: 4);

var pipeline = mlContext.Transforms.Categorical.OneHotEncoding("size")
    .Append(mlContext.Transforms.Concatenate("Features", "year", "age", "meno", "size", "grade", "nodes", "pgr", "er", "hormon", "chemo"))
    .Append(mlContext.MultiTask().Attention(labels: ["recur", "death"]));

Console.WriteLine("Training one multi-task attention model for 'recur' and 'death'...");
var model = pipeline.Fit(train);
var history = model.LastTransformer.TrainingHistory;
Console.WriteLine($"Trained {history.Count} epochs (early stopping on a 10% hold-out of train).");

var metrics = mlContext.MultiTask().Evaluate(model.Transform(test), "recur", "death");
foreach (var task in metrics.Tasks)
    Console.WriteLine($"  {task.Task,-6} test AUC = {task.Binary!.AreaUnderRocCurve:F3}  accuracy = {task.Binary.Accuracy:F3}");

string modelPath = Path.Combine(Path.GetTempPath(), "mta-quickstart-model.zip");
mlContext.Model.Save(model, data.Schema, modelPath);
var reloadContext = new MLContext();
var reloaded = reloadContext.Model.Load(modelPath, out _);
Console.WriteLine($"Saved to {modelPath} and loaded back with mlContext.Model.Load in a fresh MLContext.");

var reloadedMetrics = reloadContext.MultiTask().Evaluate(reloaded.Transform(test), "recur", "death");
foreach (var task in reloadedMetrics.Tasks)
    Console.WriteLine($"  {task.Task,-6} reloaded test AUC = {task.Binary!.AreaUnderRocCurve:F3}");

var engine = reloadContext.Model.CreatePredictionEngine<Patient, PatientPrediction>(reloaded);
var patient = new Patient { Year = 1990, Age = 55, Meno = 1, Size = "20-50", Grade = 3, Nodes = 4, Pgr = 20, Er = 30, Hormon = 0, Chemo = 1 };
var p = engine.Predict(patient);
Console.WriteLine($"One patient: P(recur) = {p.RecurProbability:F3}, P(death) = {p.DeathProbability:F3}");
Console.WriteLine($"  attention over experts, recur: [{string.Join(", ", p.RecurAttention.Select(w => w.ToString("F2", CultureInfo.InvariantCulture)))}]");
Console.WriteLine($"  attention over experts, death: [{string.Join(", ", p.DeathAttention.Select(w => w.ToString("F2", CultureInfo.InvariantCulture)))}]");

/// <summary>One patient's features, as the text loader names them.</summary>
internal sealed class Patient
{
    [ColumnName("year")] public float Year { get; set; }
    [ColumnName("age")] public float Age { get; set; }
    [ColumnName("meno")] public float Meno { get; set; }
    [ColumnName("size")] public string Size { get; set; } = "";
    [ColumnName("grade")] public float Grade { get; set; }
    [ColumnName("nodes")] public float Nodes { get; set; }
    [ColumnName("pgr")] public float Pgr { get; set; }
    [ColumnName("er")] public float Er { get; set; }
    [ColumnName("hormon")] public float Hormon { get; set; }
    [ColumnName("chemo")] public float Chemo { get; set; }
    [ColumnName("recur")] public bool Recur { get; set; }
    [ColumnName("death")] public bool Death { get; set; }
}

/// <summary>The two tasks' outputs.</summary>
internal sealed class PatientPrediction
{
    [ColumnName("recur.Probability")] public float RecurProbability { get; set; }
    [ColumnName("death.Probability")] public float DeathProbability { get; set; }
    [ColumnName("recur.Attention")] public float[] RecurAttention { get; set; } = [];
    [ColumnName("death.Attention")] public float[] DeathAttention { get; set; } = [];
}
