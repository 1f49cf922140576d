using Microsoft.ML;
using Microsoft.ML.OnnxRuntime;
using Mta.MLNet.Scoring;

namespace Mta.MLNet.Tests.Reliability;

/// <summary>
/// ML.NET's OnnxTransformer loads model bytes from a temporary file with a random three-letter extension; ONNX Runtime
/// reads a path ending in ".ort" as its own format. Fit and Load retry that one failure.
/// </summary>
[TestClass]
public sealed class TempModelFileTests
{
    [TestMethod]
    public void OnnxRuntimeMisreadsAnOnnxFileNamedOrtWithTheMessageThatIsRetried()
    {
        var ml = new MLContext(seed: 1);
        var model = Synthetic.Pipeline(ml, new MultiTaskOptions { Network = TestNetworks.One, Training = new() { Epochs = 1 } }).Fit(Synthetic.Load(ml, 64, seed: 5));
        using var transformer = model.LastTransformer;
        string path = Path.Combine(Path.GetTempPath(), Path.GetRandomFileName() + ".ort");
        File.WriteAllBytes(path, transformer.SingleRowOnnxModel);
        try
        {
            var e = Assert.ThrowsExactly<OnnxRuntimeException>(() => new InferenceSession(path).Dispose());
            Assert.IsTrue(TempModelFileRetry.IsOrtFormatMisread(new InvalidOperationException("Error initializing model", e)), e.Message);
            using var fromBytes = new InferenceSession(transformer.SingleRowOnnxModel);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void TheMisreadIsRetriedAndOtherFailuresAreNot()
    {
        int calls = 0;
        int value = TempModelFileRetry.Run(() => ++calls < 2
            ? throw new InvalidOperationException("Error initializing model", new InvalidDataException($"[ErrorCode:Fail] {TempModelFileRetry.OrtFormatMisread}."))
            : 7);
        Assert.AreEqual(7, value);
        Assert.AreEqual(2, calls);

        calls = 0;
        Assert.ThrowsExactly<InvalidDataException>(() => TempModelFileRetry.Run<int>(() => { calls++; throw new InvalidDataException("damaged"); }));
        Assert.AreEqual(1, calls);

        calls = 0;
        Assert.ThrowsExactly<InvalidOperationException>(() => TempModelFileRetry.Run<int>(() =>
        {
            calls++;
            throw new InvalidOperationException(TempModelFileRetry.OrtFormatMisread);
        }));
        Assert.AreEqual(3, calls);
    }
}
