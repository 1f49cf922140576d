using System.Text.Json;
using System.Text.Json.Nodes;
using Mta.Models.Onnx;
using Mta.Models.Options;

namespace Mta.Models.Training;

/// <summary>
/// The network options as JSON in the flat form they had before the architecture groups (<see cref="NetworkOptions.Image"/>,
/// <see cref="NetworkOptions.Set"/>, <see cref="NetworkOptions.Ple"/>, <see cref="NetworkOptions.DSelectK"/>): the
/// checkpoint fingerprint hashes this text, so a checkpoint written before the grouping still resumes.
/// </summary>
internal static class FlatNetworkJson
{
    // The public properties in the order the flat record declared them (System.Text.Json writes declaration order).
    private static readonly string[] s_flatOrder =
    [
        "Architecture", "AttentionFunction", "ExpertCount", "TaskExpertCount", "ExtractionLevels", "SelectedExperts", "SmoothStepGamma",
        "ExpertHiddenSizes", "TowerHiddenSizes", "Activation", "Dropout", "NumericEncoding", "NumericBins",
        "ImageShape", "ConvChannels", "ItemWidth", "RowFeatureCount", "ItemVocabularySize", "ItemEmbeddingWidth",
    ];

    private static readonly HashSet<string> s_groups = [nameof(NetworkOptions.Image), nameof(NetworkOptions.Set), nameof(NetworkOptions.Ple), nameof(NetworkOptions.DSelectK)];

    public static string Of(NetworkOptions network)
    {
        var members = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (name, value) in JsonSerializer.SerializeToNode(network, OnnxModelMetadata.Json)!.AsObject())
        {
            if (s_groups.Contains(name) && value is JsonObject group)
                foreach (var (member, memberValue) in group)
                    members.Add(member, memberValue?.DeepClone());
            else
                members.Add(name, value?.DeepClone());
        }
        var flat = new JsonObject();
        foreach (string name in s_flatOrder)
            if (members.Remove(name, out var value))
                flat.Add(name, value);
        // An option added after the grouping follows, in its own order (no older checkpoint can have it); one added
        // after checkpoints of the grouped form were written is left out at its default, so those resume too
        // (the trainer hashes sized options: null members only reach here from options nobody has trained with).
        if (network.EnsembleMembers is null or 1)
            members.Remove(nameof(NetworkOptions.EnsembleMembers));
        foreach (var (name, value) in members)
            flat.Add(name, value);
        return flat.ToJsonString(OnnxModelMetadata.Json);
    }
}
