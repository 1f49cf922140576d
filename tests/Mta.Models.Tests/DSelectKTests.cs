using Mta.Models.Architectures.DSelectK;
using Mta.Models.Onnx;
using Mta.Models.Options;
using Mta.Models.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Mta.Models.Tests;

/// <summary>DSelect-k: the smooth-step, the binary-code selectors, the task mix, and ONNX parity at a power of two.</summary>
[TestClass]
public sealed class DSelectKTests
{
    private static float[] Values(Tensor t)
    {
        using var c = t.detach().contiguous();
        return c.data<float>().ToArray();
    }

    [TestMethod]
    public void SmoothStepIsZeroAndOneOutsideTheBandAndTheCubicInside()
    {
        using var t = tensor(new[] { -0.7f, -0.5f, -0.25f, 0f, 0.25f, 0.5f, 3f });
        using var s = SmoothStep.Apply(t, gamma: 1);
        // −2t³ + 3t/2 + 1/2 at t = ±1/4: ∓1/32 ± 3/8 + 1/2.
        CollectionAssert.AreEqual(new[] { 0f, 0f, 0.15625f, 0.5f, 0.84375f, 1f, 1f }, Values(s));

        using var wide = SmoothStep.Apply(tensor(new[] { 0.5f, -1f, 1.2f }), gamma: 2);
        CollectionAssert.AreEqual(new[] { 0.84375f, 0f, 1f }, Values(wide), "γ = 2 stretches the band to [−1, 1]");
    }

    [TestMethod]
    public void SelectorWeightsAreTheProductsOfTheCodeBits()
    {
        using var selector = new SingleExpertSelector("s", expertCount: 4, gamma: 1);
        Assert.AreEqual(2, selector.CodeBits);
        // Bit 0 (the low bit of the expert's index) reads S(0.25), inside the band; bit 1 reads S(−0.6), below it: 0.
        using var weights = selector.forward(tensor(new[] { 0.25f, -0.6f }));
        CollectionAssert.AreEqual(new[] { 1 - 0.84375f, 0.84375f, 0f, 0f }, Values(weights));
    }

    [TestMethod]
    [DataRow(4, new[] { 0.5f, -0.5f }, 1)]
    [DataRow(4, new[] { 0.9f, 0.7f }, 3)]
    [DataRow(3, new[] { 0.6f, 0.6f }, 0)]     // code 3 of 3 experts stands for expert 0
    [DataRow(5, new[] { 2f, -1f, 0.5f }, 0)]  // code 5 of 5 experts stands for expert 0
    [DataRow(5, new[] { -2f, -1f, 0.5f }, 4)]
    [DataRow(1, new[] { 0.8f }, 0)]
    public void ASaturatedSelectorPicksExactlyOneExpert(int experts, float[] z, int expected)
    {
        using var selector = new SingleExpertSelector("s", experts, gamma: 1);
        using var weights = selector.forward(tensor(z));
        var w = Values(weights);
        Assert.HasCount(experts, w);
        for (int e = 0; e < experts; e++)
            Assert.AreEqual(e == expected ? 1f : 0f, w[e], $"expert {e}");
    }

    [TestMethod]
    [DataRow(3)]
    [DataRow(4)]
    [DataRow(6)]
    public void SelectorWeightsAreADistributionOverTheRealExperts(int experts)
    {
        using var selector = new SingleExpertSelector("s", experts, gamma: 1);
        using var z = randn(new long[] { 50, selector.CodeBits }, generator: new Generator(7)).mul(0.4);
        var w = Values(selector.forward(z));
        for (int row = 0; row < 50; row++)
        {
            var weights = w.Skip(row * experts).Take(experts).ToArray();
            Assert.IsTrue(weights.All(v => v >= 0), $"row {row}");
            Assert.AreEqual(1.0, weights.Sum(), 1e-6, $"row {row}");
        }
    }

    [TestMethod]
    public void SaturatedSelectorsLeaveEachTaskItsKExpertsMixedByTheSelectorSoftmax()
    {
        const int experts = 5, tasks = 2, k = 2, features = 3;
        using var encoder = new DSelectKEncoder(features, tasks, TestNetworks.One with
        {
            Architecture = Architecture.DSelectK, ExpertCount = experts, DSelectK = new DSelectKOptions { SelectedExperts = k }, ExpertHiddenSizes = [4], Dropout = 0,
        });
        encoder.eval();
        // Codes per (task, selector), read from constant biases of ±1 (|z| ≥ γ/2): task 0 codes 1 and 6 (= expert 1 again),
        // task 1 codes 2 and 4. Selector logits: task 0 equal (½, ½), task 1 ln 3 apart (¼, ¾).
        int[] codes = [1, 6, 2, 4];
        var codeBias = codes.SelectMany(c => Enumerable.Range(0, 3).Select(j => ((c >> j) & 1) == 1 ? 1f : -1f)).ToArray();
        var parameters = encoder.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using (no_grad())
        {
            parameters["selector_codes.weight"].zero_();
            parameters["selector_codes.bias"].copy_(tensor(codeBias));
            parameters["selector_logits.weight"].zero_();
            parameters["selector_logits.bias"].copy_(tensor(new[] { 0f, 0f, 0f, (float)Math.Log(3) }));
        }
        using var input = randn(new long[] { 6, features }, generator: new Generator(3));
        var encoding = encoder.forward(input);
        var w = Values(encoding.Weights);   // [B, T, E]

        float[][] expected = [[0, 1, 0, 0, 0], [0, 0, 0.25f, 0, 0.75f]];
        for (int row = 0; row < 6; row++)
        {
            for (int task = 0; task < tasks; task++)
            {
                for (int e = 0; e < experts; e++)
                    Assert.AreEqual(expected[task][e], w[(row * tasks + task) * experts + e], 1e-6, $"row {row}, task {task}, expert {e}");
            }
        }
    }

    [TestMethod]
    public void OnnxMatchesTorchSharpWithAPowerOfTwoExpertsAndThreeSelectors()
    {
        var network = TestNetworks.One with
        {
            Architecture = Architecture.DSelectK, ExpertCount = 4, DSelectK = new DSelectKOptions { SelectedExperts = 3, SmoothStepGamma = 0.5 }, ExpertHiddenSizes = [10], TowerHiddenSizes = [6],
        };
        var train = SyntheticTasks.Make(200, 5, seed: 21);
        using var model = MultiTaskTrainer.Train(SyntheticTasks.Specs, train, null, network, new TrainingOptions { Epochs = 3, Seed = 4 });
        var probe = SyntheticTasks.Make(29, 5, seed: 22);
        var expected = model.Predict(probe.Features, probe.RowCount);

        var actual = OnnxParityTests.Run(model.ExportOnnx(), probe.Features, probe.RowCount, 5);

        AssertClose(expected[0].Probabilities!, (float[])actual["b_probability"]);
        AssertClose(expected[1].Probabilities!, (float[])actual["m_probabilities"]);
        foreach (var (task, k) in new[] { ("b", 0), ("m", 1), ("r", 2) })
        {
            AssertClose(expected[k].Attention, (float[])actual[$"{task}_attention"]);
            for (int row = 0; row < probe.RowCount; row++)
                Assert.AreEqual(1.0, expected[k].Attention.Skip(row * 4).Take(4).Sum(), 1e-5, $"task {task} row {row}: weights over the experts sum to 1");
        }
    }

    [TestMethod]
    public void SelectedExpertsBoundsOnlyDSelectK()
    {
        // The default SelectedExperts (2) must not reject a one-expert network of another architecture.
        (TestNetworks.One with { Architecture = Architecture.MixtureOfExperts, ExpertCount = 1 }).Validate();
        (TestNetworks.One with { Architecture = Architecture.DSelectK, ExpertCount = 1, DSelectK = new DSelectKOptions { SelectedExperts = 1 } }).Validate();
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => (TestNetworks.One with { Architecture = Architecture.DSelectK, ExpertCount = 1 }).Validate());
        Assert.AreEqual("DSelectK.SelectedExperts", e.ParamName);
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.HasCount(expected.Length, actual);
        for (int i = 0; i < expected.Length; i++)
            Assert.AreEqual(expected[i], actual[i], 1e-5, $"element {i}");
    }
}
