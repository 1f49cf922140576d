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
        AppendText(hash, TrainingJson(training));
        AppendText(hash, dataHash);
        if (validation is not null)
            AppendData(hash, validation);
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    /// <summary>
    /// The training options that change the result, as JSON. Epochs count only under a step schedule, whose curve they
    /// set. Options added after checkpoints were first written are left out at their defaults, so that a run
    /// checkpointed by an earlier version resumes.
    /// </summary>
    private static string TrainingJson(TrainingOptions training)
    {
        bool scheduled = training.LearningRateSchedule != LearningRateSchedule.Constant;
        var json = JsonSerializer.SerializeToNode(training with
        {
            Epochs = scheduled ? training.Epochs : 1, CheckpointDirectory = null, CheckpointEveryEpochs = 1,
        }, OnnxModelMetadata.Json)!.AsObject();
        var defaults = new TrainingOptions();
        if (!scheduled)
            json.Remove(nameof(TrainingOptions.LearningRateSchedule));
        if (training.AdamBeta2 == defaults.AdamBeta2)
            json.Remove(nameof(TrainingOptions.AdamBeta2));
        if (training.LabelSmoothing == 0)
            json.Remove(nameof(TrainingOptions.LabelSmoothing));
        if (!training.PerTaskBestEpoch)
            json.Remove(nameof(TrainingOptions.PerTaskBestEpoch));
        // Applied once after the last epoch: no checkpointed state depends on it.
        json.Remove(nameof(TrainingOptions.TemperatureScaling));
        return json.ToJsonString(OnnxModelMetadata.Json);
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
