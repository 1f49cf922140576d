using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Mta.Models.Data;
using Mta.Models.Onnx;
using Mta.Models.Options;
using Mta.Models.Tasks;

namespace Mta.Models.Training;

/// <summary>
/// Identifies a training run for its checkpoints: a hash of the rows (features and labels, after the validation
/// hold-out), the tasks and every option that changes the result. Epochs and the checkpoint settings are left out,
/// so a run can be resumed with more epochs.
/// </summary>
internal static class TrainingFingerprint
{
    public static string Of(IReadOnlyList<TaskSpec> tasks, string dataHash, MultiTaskData? validation, NetworkOptions network, TrainingOptions training)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AppendText(hash, OnnxModelMetadata.SerializeTasks(tasks));
        AppendText(hash, FlatNetworkJson.Of(network));
        AppendText(hash, JsonSerializer.Serialize(training with { Epochs = 1, CheckpointDirectory = null, CheckpointEveryEpochs = 1 }, OnnxModelMetadata.Json));
        AppendText(hash, dataHash);
        if (validation is not null)
            AppendData(hash, validation);
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    /// <summary>A hash of the rows' features and labels.</summary>
    public static string OfData(MultiTaskData data)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AppendData(hash, data);
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private static void AppendText(IncrementalHash hash, string text) => hash.AppendData(Encoding.UTF8.GetBytes(text + "\n"));

    private static void AppendData(IncrementalHash hash, MultiTaskData data)
    {
        hash.AppendData(BitConverter.GetBytes(data.RowCount));
        hash.AppendData(BitConverter.GetBytes(data.FeatureCount));
        hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.Features.AsSpan()));
        foreach (var labels in data.Labels)
            hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(labels.AsSpan()));
    }
}
