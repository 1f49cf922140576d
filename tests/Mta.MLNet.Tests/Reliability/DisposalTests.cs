using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Mta.MLNet.Tests.Reliability;

/// <summary>
/// Native memory (TorchSharp tensors, ONNX Runtime sessions) is released: 200 fit → score → dispose cycles leave the
/// process's memory where the first cycles put it.
/// </summary>
[TestClass]
public sealed class DisposalTests
{
    [TestMethod]
    public void TwoHundredFitScoreDisposeCyclesKeepMemoryFlat()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(ml.Data.CreateEnumerable<Synthetic.Row>(Synthetic.Load(ml, 64, seed: 71), reuseRowObject: false).ToList());
        var options = new MultiTaskOptions
        {
            Tasks = [new TaskColumn("Flag"), new TaskColumn("Amount")],
            Network = TestNetworks.One with { ExpertCount = 2, ExpertHiddenSizes = [8], TowerHiddenSizes = [] },
            Training = new() { Epochs = 1, Seed = 3, ValidationFraction = 0 },
        };
        void Cycle()
        {
            using var model = ml.MultiTask().Attention(options).Fit(train);
            Assert.IsTrue(float.IsFinite(model.Transform(train).GetColumn<float>("Flag.Probability").Sum()));
        }
        for (int i = 0; i < 20; i++)
            Cycle();
        long warm = Settle();
        for (int i = 0; i < 180; i++)
            Cycle();
        long after = Settle();

        // Dispose releases the ONNX Runtime session at once (not at some later finalization): using it afterwards fails cleanly.
        var disposed = ml.MultiTask().Attention(options).Fit(train);
        disposed.Dispose();
        Assert.ThrowsExactly<ObjectDisposedException>(() => disposed.Transform(train).GetColumn<float>("Flag.Probability").ToArray());

        // 180 leaked models would be tens of MB of tensors and sessions; allow allocator noise.
        Assert.IsLessThan(warm + 40L * 1024 * 1024, after, $"working set {warm / 1048576} MB after 20 cycles, {after / 1048576} MB after 200");
    }

    // No finalizers are run here on purpose: memory must come back because Dispose released it, not because a
    // finalizer eventually did.
    private static long Settle()
    {
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64;
    }
}
