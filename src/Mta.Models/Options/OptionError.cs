namespace Mta.Models.Options;

/// <summary>
/// The error of an option group's Validate: its ParamName is the option's path from NetworkOptions ("Set.ItemWidth"),
/// which is no parameter of Validate, so the group methods build it here rather than name it inline (CA2208).
/// </summary>
internal static class OptionError
{
    public static ArgumentOutOfRangeException OutOfRange(string option, object? value, string message) => new(option, value, message);
}
