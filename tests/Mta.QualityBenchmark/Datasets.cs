using Microsoft.ML;
using Microsoft.ML.Data;
using Mta.MLNet;
using Mta.Models.Tasks;

namespace Mta.QualityBenchmark;

/// <summary>What a CSV column is to the benchmark.</summary>
internal enum Role { Numeric, Categorical, Binary, Multiclass, Regression, Drop }

/// <summary>A column: its role and, for a binary label, the value that counts as positive.</summary>
internal sealed record ColumnSpec(string Name, Role Role, string? Positive = null);

/// <summary>One of the bundled data sets (data/README in the shared folder describes them).</summary>
internal sealed record DatasetSpec(string Name, string File, IReadOnlyList<ColumnSpec> Columns)
{
    public IEnumerable<ColumnSpec> Labels => Columns.Where(c => c.Role is Role.Binary or Role.Multiclass or Role.Regression);

    public IEnumerable<(string Name, TaskKind Kind)> Tasks => Labels.Select(c => (c.Name, c.Role switch
    {
        Role.Binary => TaskKind.Binary,
        Role.Multiclass => TaskKind.Multiclass,
        _ => TaskKind.Regression,
    }));

    public static readonly DatasetSpec[] All =
    [
        new("diamonds", "diamonds.csv",
        [
            new("carat", Role.Numeric), new("cut", Role.Multiclass), new("color", Role.Multiclass), new("clarity", Role.Multiclass),
            new("depth", Role.Numeric), new("table", Role.Numeric), new("price", Role.Regression),
            new("x", Role.Numeric), new("y", Role.Numeric), new("z", Role.Numeric),
        ]),
        new("lending_club", "lending_club.csv",
        [
            new("funded_amnt", Role.Numeric), new("term", Role.Categorical), new("int_rate", Role.Regression), new("sub_grade", Role.Multiclass),
            new("addr_state", Role.Categorical), new("verification_status", Role.Categorical), new("annual_inc", Role.Numeric),
            new("emp_length", Role.Categorical), new("delinq_2yrs", Role.Numeric), new("inq_last_6mths", Role.Numeric),
            new("revol_util", Role.Numeric), new("acc_now_delinq", Role.Numeric), new("open_il_6m", Role.Numeric),
            new("open_il_12m", Role.Numeric), new("open_il_24m", Role.Numeric), new("total_bal_il", Role.Numeric),
            new("all_util", Role.Numeric), new("inq_fi", Role.Numeric), new("inq_last_12m", Role.Numeric),
            new("delinq_amnt", Role.Numeric), new("num_il_tl", Role.Numeric), new("total_il_high_credit_limit", Role.Numeric),
            new("Class", Role.Binary, "bad"),
        ]),
        new("rotterdam", "rotterdam.csv",
        [
            new("pid", Role.Drop), new("year", Role.Numeric), new("age", Role.Numeric), new("meno", Role.Numeric),
            new("size", Role.Categorical), new("grade", Role.Numeric), new("nodes", Role.Numeric), new("pgr", Role.Numeric),
            new("er", Role.Numeric), new("hormon", Role.Numeric), new("chemo", Role.Numeric), new("rtime", Role.Drop),
            new("recur", Role.Binary, "1"), new("dtime", Role.Drop), new("death", Role.Binary, "1"),
        ]),
        new("stackoverflow", "stackoverflow.csv",
        [
            new("Country", Role.Multiclass), new("Salary", Role.Regression), new("YearsCodedJob", Role.Numeric),
            new("OpenSource", Role.Numeric), new("Hobby", Role.Numeric), new("CompanySizeNumber", Role.Numeric),
            new("Remote", Role.Binary, "Remote"), new("CareerSatisfaction", Role.Numeric), new("Data_scientist", Role.Numeric),
            new("Database_administrator", Role.Numeric), new("Desktop_applications_developer", Role.Numeric),
            new("Developer_with_stats_math_background", Role.Numeric), new("DevOps", Role.Numeric), new("Embedded_developer", Role.Numeric),
            new("Graphic_designer", Role.Numeric), new("Graphics_programming", Role.Numeric), new("Machine_learning_specialist", Role.Numeric),
            new("Mobile_developer", Role.Numeric), new("Quality_assurance_engineer", Role.Numeric), new("Systems_administrator", Role.Numeric),
            new("Web_developer", Role.Numeric),
        ]),
    ];

    /// <summary>
    /// Loads the CSV (columns checked against the header) and applies the fixed protocol: test = rows whose
    /// 0-based index % 5 == 4, train = the rest; categorical features one-hot encoded into "Features" with
    /// numeric ones; binary labels to Boolean (positive value = true), multiclass labels to keys. Encodings are
    /// learned on train only.
    /// </summary>
    public (IDataView Train, IDataView Test) Load(MLContext ml, string dataFolder)
    {
        string path = Path.Combine(dataFolder, File);
        var header = System.IO.File.ReadLines(path).First().Split(',').Select(h => h.Trim('"')).ToArray();
        if (!header.SequenceEqual(Columns.Select(c => c.Name)))
            throw new InvalidDataException($"{path}: header [{string.Join(", ", header)}] does not match the benchmark's column list for '{Name}'.");

        var loaderColumns = Columns.Select((c, i) => (c, i)).Where(p => p.c.Role != Role.Drop)
            .Select(p => new TextLoader.Column(p.c.Name, p.c.Role is Role.Numeric or Role.Regression ? DataKind.Single : DataKind.String, p.i))
            .ToArray();
        var data = ml.Data.CreateTextLoader(loaderColumns, separatorChar: ',', hasHeader: true, allowQuoting: true).Load(path);
        var (train, test) = ml.MultiTask().SplitByRowIndex(data, folds: 5, testFold: 4);

        var categorical = Columns.Where(c => c.Role == Role.Categorical).Select(c => c.Name).ToArray();
        var features = Columns.Where(c => c.Role is Role.Numeric or Role.Categorical).Select(c => c.Name).ToArray();
        var steps = new List<IEstimator<ITransformer>>();
        if (categorical.Length > 0)
            steps.Add(ml.Transforms.Categorical.OneHotEncoding(categorical.Select(c => new InputOutputColumnPair(c)).ToArray()));
        steps.Add(ml.Transforms.Concatenate("Features", features));
        foreach (var label in Labels)
        {
            if (label.Role == Role.Binary)
                steps.Add(ml.Transforms.Conversion.MapValue(label.Name, [new KeyValuePair<string, bool>(label.Positive!, true)], label.Name));
            else if (label.Role == Role.Multiclass)
                steps.Add(ml.Transforms.Conversion.MapValueToKey(label.Name));
        }
        IDataView fitted = train;
        var transformers = new List<ITransformer>();
        foreach (var step in steps)
        {
            var t = step.Fit(fitted);
            fitted = t.Transform(fitted);
            transformers.Add(t);
        }
        var prefix = new TransformerChain<ITransformer>([.. transformers]);
        return (ml.Data.Cache(prefix.Transform(train)), ml.Data.Cache(prefix.Transform(test)));
    }
}
