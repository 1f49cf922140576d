using Microsoft.ML;

namespace Mta.MLNet.Tests.Reliability;

/// <summary>A small saved model (zip bytes) and data to score with it, for the load tests.</summary>
internal static class SavedModels
{
    private static readonly Lazy<byte[]> s_zip = new(() =>
    {
        var ml = new MLContext(seed: 1);
        var train = Synthetic.Load(ml, 200, seed: 51);
        var model = Synthetic.Pipeline(ml, new MultiTaskOptions { Network = TestNetworks.One, Training = new() { Epochs = 2 } }).Fit(train);
        using var stream = new MemoryStream();
        ml.Model.Save(model, train.Schema, stream);
        model.LastTransformer.Dispose();
        return stream.ToArray();
    });

    public static byte[] Zip => s_zip.Value;

    public static IDataView Rows(MLContext ml) => Synthetic.Load(ml, 20, seed: 52);
}
