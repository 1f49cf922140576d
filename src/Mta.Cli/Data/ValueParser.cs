using System.Globalization;

namespace Mta.Cli.Data;

/// <summary>Text of a data file → typed values, the same way for every verb (invariant culture).</summary>
internal static class ValueParser
{
    /// <summary>
    /// Empty, "NA", "NaN" and "?" are missing numbers (NaN); inf, +inf, -inf, Infinity (any case) are ±infinity, which
    /// the library's non-finite feature policy handles (a non-finite feature becomes the training mean); anything else
    /// must parse as a number.
    /// </summary>
    public static bool TryParseNumber(ReadOnlySpan<char> text, out double value)
    {
        text = text.Trim();
        if (text.IsEmpty || text.Equals("NA", StringComparison.OrdinalIgnoreCase) || text.Equals("NaN", StringComparison.OrdinalIgnoreCase) || text is "?")
        {
            value = double.NaN;
            return true;
        }
        if (TryParseInfinity(text, out value))
            return true;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    private static bool TryParseInfinity(ReadOnlySpan<char> text, out double value)
    {
        double sign = 1;
        if (text.Length > 0 && text[0] is '+' or '-')
        {
            sign = text[0] == '-' ? -1 : 1;
            text = text[1..];
        }
        bool infinite = text.Equals("inf", StringComparison.OrdinalIgnoreCase) || text.Equals("infinity", StringComparison.OrdinalIgnoreCase);
        value = infinite ? sign * double.PositiveInfinity : 0;
        return infinite;
    }

    private static readonly string[] s_true = ["1", "true", "t", "yes", "y"];
    private static readonly string[] s_false = ["0", "false", "f", "no", "n"];

    /// <summary>1/0, true/false, t/f, yes/no, y/n, in any case.</summary>
    public static bool TryParseBoolean(ReadOnlySpan<char> text, out bool value)
    {
        text = text.Trim();
        value = IsOneOf(text, s_true);
        return value || IsOneOf(text, s_false);
    }

    private static bool IsOneOf(ReadOnlySpan<char> text, string[] spellings)
    {
        foreach (var spelling in spellings)
        {
            if (text.Equals(spelling, StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }

    /// <summary>A binary label's text as 1 (the positive value), 0 (any other value) or NaN (missing).</summary>
    public static float BinaryLabel(ReadOnlySpan<char> text, string positive)
    {
        var trimmed = text.Trim();
        if (trimmed.SequenceEqual(positive.AsSpan().Trim()))
            return 1f;
        return TryParseNumber(trimmed, out double number) && double.IsNaN(number) ? float.NaN : 0f;
    }

    /// <summary>A value written so that parsing it back gives the same bits.</summary>
    public static string Format(float value) => value.ToString("R", CultureInfo.InvariantCulture);
}
