using Mta.Models.Options;
using Mta.Models.Training;

namespace Mta.Models.Tests;

/// <summary>
/// How the seed attention starts. Its task queries are initialized at a linear layer's scale so that tasks begin with
/// different, input-dependent mixes of the experts; much smaller queries leave every task on the same near-uniform mix
/// (a shared bottom in disguise), which learns the MMoE synthetic tasks worse.
/// </summary>
[TestClass]
public sealed class ExpertAttentionStartTests
{
    [TestMethod]
    public void UntrainedTasksMixTheExpertsDifferentlyAndPerRow()
    {
        const int experts = 8;
        var data = SyntheticTasks.Make(300, 6, seed: 3);
        // One epoch at a negligible learning rate: the weights stay at their initialization.
        using var model = MultiTaskTrainer.Train(SyntheticTasks.Specs, data, null,
            TestNetworks.One with { ExpertCount = experts, Dropout = 0 },
            new TrainingOptions { Epochs = 1, LearningRate = 1e-12, ValidationFraction = 0, Seed = 5 });
        var attention = model.Predict(data.Features, data.RowCount).Select(p => p.Attention).ToArray();

        double fromUniform = attention.Average(a => a.Average(w => Math.Abs(w - 1.0 / experts)));
        double betweenTasks = attention[0].Zip(attention[1], (a, b) => Math.Abs(a - b)).Average();
        double acrossRows = Enumerable.Range(0, experts).Average(e =>
        {
            var column = Enumerable.Range(0, data.RowCount).Select(r => (double)attention[0][r * experts + e]).ToArray();
            double mean = column.Average();
            return Math.Sqrt(column.Average(v => (v - mean) * (v - mean)));
        });

        // The threshold lies between the two starts: well below what queries at a linear layer's scale give, well above
        // what queries ten times smaller give.
        Assert.IsGreaterThan(0.005, fromUniform, $"mean |w − 1/E| = {fromUniform:F4}: not a uniform mix");
        Assert.IsGreaterThan(0.005, betweenTasks, $"mean |w_task0 − w_task1| = {betweenTasks:F4}: tasks differ");
        Assert.IsGreaterThan(0.005, acrossRows, $"per-expert sd over rows = {acrossRows:F4}: the mix depends on the row");
    }
}
