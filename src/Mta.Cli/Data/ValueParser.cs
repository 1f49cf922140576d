using System.Globalization;

namespace Mta.Cli.Data;

/// <summary>Text of a data file → typed values, the same way for every verb (invariant culture).</summary>
internal static class ValueParser
{
    /// <summary>Empty, "NA", "NaN" and "?" are missing numbers (NaN); anything else must parse as a number.</summary>
    public static bool TryParseNumber(ReadOnlySpan<char> text, out double value)
    {
        text = text.Trim();
        if (text.IsEmpty || text.Equals("NA", StringComparison.OrdinalIgnoreCase) || text.Equals("NaN", StringComparison.OrdinalIgnoreCase) || text is "?")
        {
            value = double.NaN;
            return true;
        }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    public static bool TryParseBoolean(ReadOnlySpan<char> text, out bool value)
    {
        text = text.Trim();
        if (text.Equals("true", StringComparison.OrdinalIgnoreCase) || text.Equals("yes", StringComparison.OrdinalIgnoreCase) || text is "1" or "t" or "T")
        {
            value = true;
            return true;
        }
        value = false;
        return text.Equals("false", StringComparison.OrdinalIgnoreCase) || text.Equals("no", StringComparison.OrdinalIgnoreCase) || text is "0" or "f" or "F";
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
