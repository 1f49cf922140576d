using Mta.Models.Data;
using Mta.Models.Tasks;

namespace Mta.SampleData;

/// <summary>
/// Synthetic recommendation-like data (made up, not measured): each row is a user's recent items, most recent
/// first, 0 to <c>maxItems</c> of them, each item <see cref="ItemWidth"/> values (category one-hot ×4, price, days
/// ago). Two tasks that read different items:
/// <list type="bullet">
/// <item><c>click</c> (binary): will the user click a promoted category-1 item? Logit 6·(share of category-1 items
/// among those of the last 14 days) − 2, plus logistic noise: only recent category-1 items matter.</item>
/// <item><c>rating</c> (regression): the user's expected rating, 1 + 4·σ((mean log price of their category-3 and
/// category-4 items − 3) · 2) + N(0, 0.25²); 3 without such items: only the higher-end categories matter.</item>
/// </list>
/// Mean pooling of the item features blurs both (it mixes recent with old, and category with price); per-task
/// attention over the items can pick each task's items out.
/// </summary>
public sealed class SyntheticRecommendations
{
    /// <summary>Values per item: category one-hot (4), price, days ago.</summary>
    public const int ItemWidth = 6;

    /// <summary>Names of an item's values, in order.</summary>
    public static readonly IReadOnlyList<string> ItemValueNames = ["category 1", "category 2", "category 3", "category 4", "price", "days ago"];

    /// <summary>The tasks, in label order: click (binary), rating (regression).</summary>
    public static readonly IReadOnlyList<TaskSpec> Tasks = [new("click", TaskKind.Binary), new("rating", TaskKind.Regression)];

    private readonly Random _rng;
    private readonly int _maxItems;

    /// <summary>A generator; the same seed gives the same rows.</summary>
    public SyntheticRecommendations(int seed, int maxItems = 20)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxItems, 1);
        _rng = new Random(seed);
        _maxItems = maxItems;
    }

    /// <summary>The next <paramref name="count"/> users: items (a multiple of <see cref="ItemWidth"/> values, possibly none) and labels.</summary>
    public IReadOnlyList<RecommendationRow> Rows(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var rows = new RecommendationRow[count];
        for (int i = 0; i < count; i++)
            rows[i] = NextRow();
        return rows;
    }

    /// <summary>The rows as training data, padded with all-NaN (absent) items to the longest row (at least one item).</summary>
    public static MultiTaskData ToData(IReadOnlyList<RecommendationRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        int width = Math.Max(ItemWidth, rows.Count == 0 ? 0 : rows.Max(r => r.Items.Length));
        var features = new float[rows.Count * width];
        Array.Fill(features, float.NaN);
        for (int i = 0; i < rows.Count; i++)
            rows[i].Items.CopyTo(features, i * width);
        return new MultiTaskData(features, width, [rows.Select(r => r.Click ? 1f : 0f).ToArray(), rows.Select(r => r.Rating).ToArray()]);
    }

    private RecommendationRow NextRow()
    {
        int n = _rng.Next(_maxItems + 1);
        var items = new float[n * ItemWidth];
        double days = 0;
        int recent = 0, recentFirst = 0, upper = 0;
        double upperLogPrice = 0;
        for (int t = 0; t < n; t++)
        {
            int category = _rng.Next(4);
            double logPrice = 2.5 + 0.4 * category + 0.6 * Gaussian();
            days += -Math.Log(1 - _rng.NextDouble()) * 4;                 // gaps of 4 days on average, most recent first
            var item = items.AsSpan(t * ItemWidth, ItemWidth);
            item[category] = 1;
            item[4] = (float)Math.Exp(logPrice);
            item[5] = (float)days;
            if (days < 14)
            {
                recent++;
                recentFirst += category == 0 ? 1 : 0;
            }
            if (category >= 2)
            {
                upper++;
                upperLogPrice += logPrice;
            }
        }
        double share = recent == 0 ? 0 : recentFirst / (double)recent;
        double u = _rng.NextDouble();
        bool click = 6 * share - 2 + Math.Log(u / (1 - u)) > 0;
        double rating = upper == 0 ? 3 : 1 + 4 / (1 + Math.Exp(-(upperLogPrice / upper - 3) * 2));
        return new RecommendationRow(items, click, (float)(rating + 0.25 * Gaussian()));
    }

    private double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - _rng.NextDouble())) * Math.Cos(2 * Math.PI * _rng.NextDouble());
}

/// <summary>One synthetic user: their items (<see cref="SyntheticRecommendations.ItemWidth"/> values each, most recent first) and labels.</summary>
/// <param name="Items">The items' values one after the other (empty for a user without items).</param>
/// <param name="Click">Whether the user clicks the promoted category-1 item.</param>
/// <param name="Rating">The user's rating.</param>
public sealed record RecommendationRow(float[] Items, bool Click, float Rating);
