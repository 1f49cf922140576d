using Mta.Models.Options;
using Mta.Models.Training;
using Mta.SampleData;

namespace Mta.Models.Tests;

[TestClass]
public sealed class MmoeSyntheticTasksTests
{
    [TestMethod]
    [DataRow(0.5)]
    [DataRow(0.9)]
    [DataRow(1.0)]
    public void LabelCorrelationFollowsP(double p)
    {
        // With p = 1 both tasks share w; lower p gives less correlated labels.
        var data = new MmoeSyntheticTasks(p, seed: 1).Generate(4000);
        double r = Pearson(data.Labels[0], data.Labels[1]);
        if (p == 1.0)
            Assert.IsGreaterThan(0.95, r);
        else
            Assert.IsLessThan(p == 0.5 ? 0.8 : 0.97, r);
    }

    [TestMethod]
    public void SameSeedSameData()
    {
        var a = new MmoeSyntheticTasks(0.9, seed: 3, dimension: 10).Generate(50);
        var b = new MmoeSyntheticTasks(0.9, seed: 3, dimension: 10).Generate(50);
        CollectionAssert.AreEqual(a.Features, b.Features);
        CollectionAssert.AreEqual(a.Labels[1], b.Labels[1]);
    }

    [TestMethod]
    public void AttentionModelLearnsBothTasksClearlyBetterThanTheMean()
    {
        var tasks = new MmoeSyntheticTasks(0.9, seed: 2, dimension: 20);
        var train = tasks.Generate(3000);
        var test = tasks.Generate(500);
        using var model = MultiTaskTrainer.Train(MmoeSyntheticTasks.Tasks, train, null,
            TestNetworks.One with { ExpertCount = 4, ExpertHiddenSizes = [16], TowerHiddenSizes = [8] }, new TrainingOptions { Epochs = 40, Seed = 1 });
        var p = model.Predict(test.Features, test.RowCount);
        Assert.IsGreaterThan(0.5, Metrics.RSquared(p[0].Score!, test.Labels[0]));
        Assert.IsGreaterThan(0.5, Metrics.RSquared(p[1].Score!, test.Labels[1]));
    }

    private static double Pearson(float[] a, float[] b)
    {
        double ma = a.Average(), mb = b.Average();
        double cov = a.Zip(b, (x, y) => (x - ma) * (y - mb)).Sum();
        double va = a.Sum(x => (x - ma) * (x - ma)), vb = b.Sum(y => (y - mb) * (y - mb));
        return cov / Math.Sqrt(va * vb);
    }
}
