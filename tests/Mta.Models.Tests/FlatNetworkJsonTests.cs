using Mta.Models.Options;
using Mta.Models.Training;

namespace Mta.Models.Tests;

/// <summary>The checkpoint fingerprint hashes the options in their pre-grouping flat text, so older checkpoints resume.</summary>
[TestClass]
public sealed class FlatNetworkJsonTests
{
    [TestMethod]
    public void TheDefaultsGiveTheTextOfTheFlatRecord()
    {
        // What JsonSerializer wrote for TestNetworks.One when the options were one flat record.
        const string flat = """{"Architecture":"ExpertAttention","AttentionFunction":"Softmax","ExpertCount":4,"TaskExpertCount":1,"ExtractionLevels":2,"SelectedExperts":2,"SmoothStepGamma":1,"ExpertHiddenSizes":[64,32],"TowerHiddenSizes":[16],"Activation":"Relu","Dropout":null,"NumericEncoding":"Auto","NumericBins":16,"ImageShape":null,"ConvChannels":[16,32],"ItemWidth":null,"RowFeatureCount":0,"ItemVocabularySize":null,"ItemEmbeddingWidth":16}""";
        Assert.AreEqual(flat, FlatNetworkJson.Of(TestNetworks.One));
    }

    [TestMethod]
    public void GroupedValuesLandInTheirFlatPlaces()
    {
        var network = TestNetworks.One with
        {
            Architecture = Architecture.SetAttention, ExpertHiddenSizes = [8], TowerHiddenSizes = [4], Dropout = 0.2f,
            Set = new SetOptions { ItemWidth = 6 }, DSelectK = new DSelectKOptions { SmoothStepGamma = 0.5 },
        };
        const string flat = """{"Architecture":"SetAttention","AttentionFunction":"Softmax","ExpertCount":4,"TaskExpertCount":1,"ExtractionLevels":2,"SelectedExperts":2,"SmoothStepGamma":0.5,"ExpertHiddenSizes":[8],"TowerHiddenSizes":[4],"Activation":"Relu","Dropout":0.2,"NumericEncoding":"Auto","NumericBins":16,"ImageShape":null,"ConvChannels":[16,32],"ItemWidth":6,"RowFeatureCount":0,"ItemVocabularySize":null,"ItemEmbeddingWidth":16}""";
        Assert.AreEqual(flat, FlatNetworkJson.Of(network));
    }
}
