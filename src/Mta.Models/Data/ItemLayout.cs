using Mta.Models.Options;

namespace Mta.Models.Data;

/// <summary>
/// How a row of a set model (<see cref="Architecture.SetAttention"/>) is laid out: <see cref="RowFeatures"/> per-row
/// values first (a user's age, income...), then any number of items of <see cref="ItemWidth"/> values each.
/// </summary>
/// <param name="RowFeatures">Per-row values before the items (≥ 0).</param>
/// <param name="ItemWidth">Values per item (≥ 1).</param>
public sealed record ItemLayout(int RowFeatures, int ItemWidth)
{
    /// <summary>The layout the options describe, or null when the rows are not sets of items.</summary>
    public static ItemLayout? Of(NetworkOptions network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return network.Architecture == Architecture.SetAttention && network.Set.ItemWidth is int d ? new(network.Set.RowFeatureCount, d) : null;
    }

    /// <summary>Whether a row of <paramref name="width"/> values is the row features and whole items.</summary>
    public bool Fits(long width) => width >= RowFeatures && (width - RowFeatures) % ItemWidth == 0;

    /// <summary>Items in a row of <paramref name="width"/> values.</summary>
    public int Items(long width) => (int)((width - RowFeatures) / ItemWidth);

    /// <summary>The shortest row: the row features and one (possibly absent) item.</summary>
    public int MinimumWidth => RowFeatures + ItemWidth;

    /// <summary>Says what a row of this layout must look like (for error messages).</summary>
    public string Expected => RowFeatures == 0
        ? $"a whole number of items of Set.ItemWidth {ItemWidth}"
        : $"Set.RowFeatureCount {RowFeatures} values, then a whole number of items of Set.ItemWidth {ItemWidth}";
}
