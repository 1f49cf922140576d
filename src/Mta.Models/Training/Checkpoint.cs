using System.Text;
using System.Text.Json;
using Mta.Models.Modules;
using Mta.Models.Onnx;
using Mta.Models.Weighting;
using TorchSharp;
using static TorchSharp.torch;

namespace Mta.Models.Training;

/// <summary>
/// Everything needed to continue a training run exactly where it stopped: network and best-epoch weights, optimizer
/// moments and weight average, the loss weighting's state, both random generators (shuffling and dropout), the epoch
/// bookkeeping and history. Resuming from it gives bit for bit the model an uninterrupted run gives.
/// </summary>
/// <remarks>
/// One file per directory, replaced atomically (written beside it, then renamed), so a run killed while saving
/// leaves the previous checkpoint intact. A fingerprint of the data, tasks and options guards against resuming a
/// different run's checkpoint.
/// </remarks>
internal static class Checkpoint
{
    public const string FileName = "mta-checkpoint.bin";
    private const string MagicFamily = "MTA-CHECKPOINT-";   // every format's magic starts so, to tell an old checkpoint from a stray file
    private const string Magic = MagicFamily + "4";   // 2: the optimizer's learning rate (plateau schedule); 3: the weight average; 4: its batch-norm statistics

    public static string PathIn(string directory) => Path.Combine(directory, FileName);

    public static void Save(string directory, string fingerprint, TrainingState state, MultiTaskNetwork net,
        Optimizers optimizers, ILossWeighting weighting, Generator shuffle)
    {
        Directory.CreateDirectory(directory);
        string path = PathIn(directory);
        string temporary = path + ".tmp";
        try
        {
            using (var writer = new BinaryWriter(File.Create(temporary), Encoding.UTF8))
            {
                writer.Write(Magic);
                writer.Write(fingerprint);
                writer.Write(state.Epoch);
                writer.Write(state.BestLoss);
                writer.Write(state.EpochsSinceBest);
                writer.Write(JsonSerializer.Serialize(state.History, OnnxModelMetadata.Json));
                WriteTensors(writer, net.state_dict());
                writer.Write(state.BestState is not null);
                if (state.BestState is not null)
                    WriteTensors(writer, state.BestState);
                // Only with PerTaskBestEpoch on, which the fingerprint records: the reader knows to expect it.
                if (state.TaskBestLosses is { } taskBest)
                {
                    for (int k = 0; k < taskBest.Length; k++)
                    {
                        writer.Write(taskBest[k]);
                        var weights = state.TaskBestWeights![k] ?? [];
                        writer.Write(weights.Length);
                        foreach (var t in weights)
                            WriteTensor(writer, t);
                    }
                }
                optimizers.Save(writer);
                weighting.Save(writer);
                WriteTensor(writer, shuffle.get_state());
                WriteTensor(writer, random.get_rng_state());
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Restores a checkpoint into freshly built objects; false when <paramref name="directory"/> has none.</summary>
    /// <exception cref="InvalidOperationException">The checkpoint belongs to another run (data, tasks or options differ) or is unreadable.</exception>
    public static bool TryRestore(string directory, string fingerprint, TrainingState state, MultiTaskNetwork net,
        Optimizers optimizers, ILossWeighting weighting, Generator shuffle)
    {
        string path = PathIn(directory);
        if (!File.Exists(path))
            return false;
        try
        {
            using var reader = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
            string magic = reader.ReadString();
            if (magic != Magic)
                throw new InvalidDataException(magic.StartsWith(MagicFamily, StringComparison.Ordinal)
                    ? $"written in checkpoint format {magic} by another version of Mta.Models; this version reads {Magic}"
                    : "not an Mta.Models checkpoint");
            if (reader.ReadString() != fingerprint)
                throw new InvalidOperationException(
                    $"The checkpoint '{path}' belongs to another training run (the data, tasks or options differ). " +
                    "Delete it or choose another CheckpointDirectory to start afresh.");
            state.Epoch = reader.ReadInt32();
            state.BestLoss = reader.ReadDouble();
            state.EpochsSinceBest = reader.ReadInt32();
            state.History.AddRange(JsonSerializer.Deserialize<List<EpochReport>>(reader.ReadString(), OnnxModelMetadata.Json) ?? []);
            using (no_grad())
            {
                var current = net.state_dict();
                ReadTensorsInto(reader, current);
                if (reader.ReadBoolean())
                {
                    var best = current.ToDictionary(kv => kv.Key, kv => kv.Value.clone());
                    ReadTensorsInto(reader, best);
                    state.ReplaceBestState(best);
                }
                for (int k = 0; k < (state.TaskBestLosses?.Length ?? 0); k++)
                {
                    state.TaskBestLosses![k] = reader.ReadDouble();
                    int count = reader.ReadInt32();
                    var shapes = OwnWeightShapes(net, k);
                    if (count != 0 && count != shapes.Length)
                        throw new InvalidDataException($"task {k} has {count} kept weights, the network {shapes.Length}.");
                    var kept = new Tensor[count];
                    for (int i = 0; i < count; i++)
                    {
                        kept[i] = ReadTensor(reader);
                        if (!kept[i].shape.SequenceEqual(shapes[i]))
                            throw new InvalidDataException($"task {k}'s kept weight {i} has another shape than the network's.");
                    }
                    state.ReplaceTaskBestWeights(k, count == 0 ? null : kept);
                }
            }
            optimizers.Load(reader);
            weighting.Load(reader);
            using var shuffleState = ReadTensor(reader);
            shuffle.set_state(shuffleState);
            using var rngState = ReadTensor(reader);
            random.set_rng_state(rngState);
            return true;
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or IOException or JsonException or ArgumentException)
        {
            throw new InvalidOperationException($"The checkpoint '{path}' cannot be read ({e.Message}). Delete it to start afresh.", e);
        }
    }

    private static long[][] OwnWeightShapes(MultiTaskNetwork net, int task)
    {
        var own = net.OwnWeights(task);
        var shapes = own.Select(t => t.shape).ToArray();
        foreach (var view in own)
            view.Dispose();
        return shapes;
    }

    private static void WriteTensors(BinaryWriter writer, Dictionary<string, Tensor> tensors)
    {
        writer.Write(tensors.Count);
        foreach (var (name, tensor) in tensors)
        {
            writer.Write(name);
            WriteTensor(writer, tensor);
        }
    }

    private static void ReadTensorsInto(BinaryReader reader, Dictionary<string, Tensor> tensors)
    {
        int count = reader.ReadInt32();
        if (count != tensors.Count)
            throw new InvalidDataException($"it holds {count} tensors, the network has {tensors.Count}.");
        for (int i = 0; i < count; i++)
        {
            string name = reader.ReadString();
            if (!tensors.TryGetValue(name, out var target))
                throw new InvalidDataException($"tensor '{name}' is not part of the network.");
            using var value = ReadTensor(reader);
            if (!value.shape.SequenceEqual(target.shape) || value.dtype != target.dtype)
                throw new InvalidDataException($"tensor '{name}' has shape [{string.Join(", ", value.shape)}], the network [{string.Join(", ", target.shape)}].");
            target.copy_(value);
        }
    }

    private static void WriteTensor(BinaryWriter writer, Tensor tensor)
    {
        using var detached = tensor.detach();   // named, so it stays reachable through the native call
        using var contiguous = detached.contiguous();
        writer.Write((int)contiguous.dtype);
        writer.Write(contiguous.shape.Length);
        foreach (long d in contiguous.shape)
            writer.Write(d);
        var bytes = contiguous.bytes;
        writer.Write(bytes.Length);
        writer.Write(bytes);
    }

    private static Tensor ReadTensor(BinaryReader reader)
    {
        var dtype = (ScalarType)reader.ReadInt32();
        var shape = new long[reader.ReadInt32()];
        for (int i = 0; i < shape.Length; i++)
            shape[i] = reader.ReadInt64();
        var bytes = reader.ReadBytes(reader.ReadInt32());
        var tensor = empty(shape, dtype);
        if (tensor.bytes.Length != bytes.Length)
            throw new InvalidDataException("a tensor's data is truncated.");
        tensor.bytes = bytes;
        return tensor;
    }
}
