using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mta.Cli.Commands;

/// <summary>
/// The NetworkOptions that moved from the flat "Network" object into an architecture's group. An --options file written
/// for the flat form would otherwise fail with System.Text.Json's "could not be mapped", which does not say where the
/// option went; this names the new place instead.
/// </summary>
internal static class MovedNetworkOptions
{
    private static readonly Dictionary<string, string> s_groups = new(StringComparer.Ordinal)
    {
        ["ImageShape"] = "Image", ["ConvChannels"] = "Image",
        ["ItemWidth"] = "Set", ["RowFeatureCount"] = "Set", ["ItemVocabularySize"] = "Set", ["ItemEmbeddingWidth"] = "Set",
        ["TaskExpertCount"] = "Ple", ["ExtractionLevels"] = "Ple",
        ["SelectedExperts"] = "DSelectK", ["SmoothStepGamma"] = "DSelectK",
    };

    /// <summary>
    /// Throws <see cref="JsonException"/> "Network.X moved to Network.Group.X" for each flat name in the file's
    /// "Network" object (all of them in one message); a file that does not parse is left to the deserializer's error.
    /// </summary>
    public static void Reject(string json, JsonDocumentOptions parse)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: parse);
        }
        catch (JsonException)
        {
            return;
        }
        if (root is not JsonObject { } file || file["Network"] is not JsonObject network)
            return;
        var moved = network.Select(p => p.Key).Where(s_groups.ContainsKey)
            .Select(name => $"Network.{name} moved to Network.{s_groups[name]}.{name}").ToList();
        if (moved.Count > 0)
            throw new JsonException(string.Join("; ", moved) + " (an architecture's own options are now in its group).");
    }
}
