using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mta.Cli.Commands;

/// <summary>
/// The <c>--json</c> output of evaluate and inspect: one indented JSON document on stdout, camelCase names, enums
/// as strings, NaN written as "NaN" (a metric can be undefined). Written past Spectre, which would read brackets as markup.
/// </summary>
internal static class JsonOutput
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    public static Option<bool> Flag() => new("--json") { Description = "Write the result as one JSON document on stdout instead of tables." };

    public static void Write<T>(T value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, s_json));
}
