using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;

namespace Mta.MLNet.Tests;

/// <summary>
/// CUDA scoring as ML.NET's ApplyOnnxModel handles it: mlContext.GpuDeviceId picks the device, mlContext.FallbackToCpu
/// turns a CUDA that cannot start into CPU scoring, else the error says what is missing. These run where CUDA cannot
/// start (no GPU, or the CPU build of ONNX Runtime); on a machine where it can, they are inconclusive.
/// </summary>
[TestClass]
public sealed class ScoringDeviceChoiceTests
{
    private static readonly bool GpuBuild = OrtEnv.Instance().GetAvailableProviders().Contains("CUDAExecutionProvider");

    private static void SkipWhereCudaStarts()
    {
        if (!GpuBuild)
            return;
        using var options = new SessionOptions();
        try
        {
            options.AppendExecutionProvider_CUDA(0);
        }
        catch (OnnxRuntimeException)
        {
            return;
        }
        Assert.Inconclusive("CUDA starts on this machine: these tests cover a CUDA that cannot start.");
    }

    private static MultiTaskOptions Options(ScoringDevice? device = null) => new()
    {
        Tasks = [new TaskColumn("Amount")],
        Training = new() { Epochs = 2, Seed = 4 },
        ScoringDevice = device,
    };

    private static void AssertSaysWhatIsMissing(NotSupportedException e, int deviceId)
    {
        StringAssert.Contains(e.Message, $"cuda:{deviceId}");
        StringAssert.Contains(e.Message, "FallbackToCpu");
        if (GpuBuild)
            StringAssert.Contains(e.Message, "CUDA 12 and cuDNN 9 libraries");
        else
            StringAssert.Contains(e.Message, "Microsoft.ML.OnnxRuntime.Gpu");
    }

    [TestMethod]
    public void TheContextsGpuDeviceIdWithoutFallbackFailsBeforeTrainingAndSaysWhatIsMissing()
    {
        SkipWhereCudaStarts();
        var ml = new MLContext(seed: 1) { GpuDeviceId = 0 };
        var progress = new List<int>();
        var options = Options();
        options.Progress = new Progress(progress);

        var e = Assert.ThrowsExactly<NotSupportedException>(() => ml.MultiTask().Attention(options).Fit(Synthetic.Load(ml, 100, seed: 1)));
        AssertSaysWhatIsMissing(e, 0);
        Assert.IsEmpty(progress, "no epoch ran");
    }

    [TestMethod]
    public void AnExplicitCudaDeviceWithoutFallbackFailsTheSameWay()
    {
        SkipWhereCudaStarts();
        var ml = new MLContext(seed: 1);
        var e = Assert.ThrowsExactly<NotSupportedException>(() => ml.MultiTask().Attention(Options(ScoringDevice.Cuda(2))).Fit(Synthetic.Load(ml, 100, seed: 1)));
        AssertSaysWhatIsMissing(e, 2);
    }

    [TestMethod]
    public void FallbackToCpuScoresOnTheCpuLikeACpuModel()
    {
        SkipWhereCudaStarts();
        var data = Synthetic.Load(new MLContext(seed: 1), 200, seed: 1);
        var cpuContext = new MLContext(seed: 1);
        using var cpu = cpuContext.MultiTask().Attention(Options()).Fit(data);
        var gpuContext = new MLContext(seed: 1) { GpuDeviceId = 0, FallbackToCpu = true };
        using var fellBack = gpuContext.MultiTask().Attention(Options()).Fit(data);

        Assert.AreEqual(ScoringDevice.Cpu, cpu.ScoringDevice);
        Assert.IsNull(cpu.ScoringDeviceFallbackReason);
        Assert.AreEqual(ScoringDevice.Cpu, fellBack.ScoringDevice);
        Assert.IsNotNull(fellBack.ScoringDeviceFallbackReason);
        CollectionAssert.AreEqual(
            cpu.Transform(data).GetColumn<float>("Amount.Score").ToArray(),
            fellBack.Transform(data).GetColumn<float>("Amount.Score").ToArray());
    }

    [TestMethod]
    public void LoadingFollowsTheContextsGpuDeviceIdAndFallback()
    {
        SkipWhereCudaStarts();
        var ml = new MLContext(seed: 1);
        var data = Synthetic.Load(ml, 200, seed: 1);
        using var model = ml.MultiTask().Attention(Options()).Fit(data);
        using var file = new MemoryStream();
        ml.Model.Save(model, data.Schema, file);

        var strict = new MLContext { GpuDeviceId = 1 };
        file.Position = 0;
        var e = Assert.ThrowsExactly<NotSupportedException>(() => strict.MultiTask().Load(file, out _));
        AssertSaysWhatIsMissing(e, 1);

        var lenient = new MLContext { GpuDeviceId = 1, FallbackToCpu = true };
        file.Position = 0;
        var loaded = (MultiTaskTransformer)lenient.MultiTask().Load(file, out _);
        Assert.AreEqual(ScoringDevice.Cpu, loaded.ScoringDevice);
        CollectionAssert.AreEqual(
            model.Transform(data).GetColumn<float>("Amount.Score").ToArray(),
            loaded.Transform(data).GetColumn<float>("Amount.Score").ToArray());
        loaded.Dispose();
    }

    private sealed class Progress(List<int> epochs) : IProgress<Mta.Models.Training.EpochReport>
    {
        public void Report(Mta.Models.Training.EpochReport value) => epochs.Add(value.Epoch);
    }
}
