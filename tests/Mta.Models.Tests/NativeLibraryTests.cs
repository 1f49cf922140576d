using static TorchSharp.torch;

namespace Mta.Models.Tests;

/// <summary>libtorch loads (on Debian 12 only thanks to the build's libLibTorchSharp.so fix) and computes.</summary>
[TestClass]
public sealed class NativeLibraryTests
{
    [TestMethod]
    public void TorchSharpLoadsAndMultiplies()
    {
        using var a = tensor(new float[] { 1, 2, 3, 4 }, [2, 2]);
        using var b = tensor(new float[] { 5, 6, 7, 8 }, [2, 2]);
        using var c = a.matmul(b);
        CollectionAssert.AreEqual(new float[] { 19, 22, 43, 50 }, c.data<float>().ToArray());
    }
}
