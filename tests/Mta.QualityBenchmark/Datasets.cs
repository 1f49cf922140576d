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
        new("penguins", "penguins.csv",
        [
            new("species", Role.Multiclass), new("island", Role.Categorical), new("bill_length_mm", Role.Numeric),
            new("bill_depth_mm", Role.Numeric), new("flipper_length_mm", Role.Numeric), new("body_mass_g", Role.Regression),
            new("sex", Role.Binary, "male"), new("year", Role.Numeric),
        ]),
        new("sacramento", "sacramento.csv",
        [
            new("city", Role.Categorical), new("zip", Role.Categorical), new("beds", Role.Regression), new("baths", Role.Numeric),
            new("sqft", Role.Numeric), new("type", Role.Multiclass), new("price", Role.Regression),
            new("latitude", Role.Numeric), new("longitude", Role.Numeric),
        ]),
        new("meats", "meats.csv",
        [
            .. Enumerable.Range(1, 100).Select(i => new ColumnSpec($"x_{i:D3}", Role.Numeric)),
            new("water", Role.Regression), new("fat", Role.Regression), new("protein", Role.Regression),
        ]),
        new("cps1985", "cps1985.csv",
        [
            new("wage", Role.Regression), new("education", Role.Numeric), new("experience", Role.Numeric), new("age", Role.Numeric),
            new("ethnicity", Role.Categorical), new("region", Role.Categorical), new("gender", Role.Categorical),
            new("occupation", Role.Multiclass), new("sector", Role.Categorical), new("union", Role.Binary, "yes"),
            new("married", Role.Categorical),
        ]),
        new("colon", "colon.csv",
        [
            new("rx", Role.Categorical), new("sex", Role.Numeric), new("age", Role.Numeric), new("obstruct", Role.Numeric),
            new("perfor", Role.Numeric), new("adhere", Role.Numeric), new("nodes", Role.Numeric), new("differ", Role.Numeric),
            new("extent", Role.Numeric), new("surg", Role.Numeric), new("node4", Role.Numeric),
            new("recur", Role.Binary, "1"), new("death", Role.Binary, "1"),
        ]),
        new("mlc_churn", "mlc_churn.csv",
        [
            new("state", Role.Categorical), new("account_length", Role.Numeric), new("area_code", Role.Categorical),
            new("international_plan", Role.Binary, "yes"), new("voice_mail_plan", Role.Categorical),
            new("number_vmail_messages", Role.Numeric), new("total_day_minutes", Role.Numeric), new("total_day_calls", Role.Numeric),
            new("total_day_charge", Role.Numeric), new("total_eve_minutes", Role.Numeric), new("total_eve_calls", Role.Numeric),
            new("total_eve_charge", Role.Numeric), new("total_night_minutes", Role.Numeric), new("total_night_calls", Role.Numeric),
            new("total_night_charge", Role.Numeric), new("total_intl_minutes", Role.Numeric), new("total_intl_calls", Role.Numeric),
            new("total_intl_charge", Role.Numeric), new("number_customer_service_calls", Role.Regression), new("churn", Role.Binary, "yes"),
        ]),
    ];

    /// <summary>
    /// Tables outside the ten that defaults are judged on, to confirm a default chosen on the ten (data/ holds them,
    /// written by vega_tables.py). A run without --datasets leaves them out.
    /// </summary>
    public static readonly DatasetSpec[] Confirmation =
    [
        new("cars", "cars.csv",
        [
            new("mpg", Role.Regression), new("cylinders", Role.Numeric), new("displacement", Role.Numeric), new("horsepower", Role.Numeric),
            new("weight", Role.Numeric), new("acceleration", Role.Numeric), new("year", Role.Numeric), new("origin", Role.Multiclass),
        ]),
        new("seattle_weather", "seattle_weather.csv",
        [
            new("year", Role.Numeric), new("month", Role.Numeric), new("precipitation", Role.Numeric), new("temp_max", Role.Regression),
            new("temp_min", Role.Numeric), new("wind", Role.Numeric), new("weather", Role.Multiclass),
        ]),
    ];

    /// <summary>Every table --datasets can name.</summary>
    public static readonly DatasetSpec[] Known = [.. All, .. Confirmation];

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
        // An empty numeric field is missing (NaN), as `mta train` reads it, not 0: penguins and colon have them.
        var data = ml.Data.CreateTextLoader(new TextLoader.Options { Columns = loaderColumns, Separators = [','], HasHeader = true, AllowQuoting = true, MissingRealsAsNaNs = true }).Load(path);
        var (train, test) = ml.MultiTask().SplitByRowIndex(data, folds: 5, testFold: 4);

        var categorical = Columns.Where(c => c.Role == Role.Categorical).Select(c => c.Name).ToArray();
        var features = Columns.Where(c => c.Role is Role.Numeric or Role.Categorical).Select(c => c.Name).ToArray();
        var steps = new List<IEstimator<ITransformer>>();
        if (categorical.Length > 0)
            steps.Add(ml.Transforms.Categorical.OneHotEncoding(categorical.Select(c => new InputOutputColumnPair(c)).ToArray()));
        steps.Add(ml.Transforms.Concatenate("Features", features));
        foreach (var label in Labels)
        {
            if (label.Role == Role.Binary && LabelNumbers(data, label.Name) is { Count: > 0 } values)
                steps.Add(ml.Transforms.Conversion.MapValue(label.Name, values, label.Name));   // 1 / 0 / NaN: rows without the label are masked
            else if (label.Role == Role.Binary)
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

    /// <summary>
    /// For a binary label with empty fields: each value's number (positive 1, any other 0, empty NaN), since a Boolean
    /// cannot say "unknown". Empty list when every row has the label (those stay Boolean).
    /// </summary>
    private List<KeyValuePair<string, float>> LabelNumbers(IDataView data, string label)
    {
        var values = data.GetColumn<ReadOnlyMemory<char>>(label).Select(v => v.ToString()).Distinct().ToList();
        if (!values.Contains(""))
            return [];
        string positive = Columns.First(c => c.Name == label).Positive!;
        return values.Select(v => new KeyValuePair<string, float>(v, v.Length == 0 ? float.NaN : v == positive ? 1f : 0f)).ToList();
    }
}
