using Mta.Models.Weighting;
using Mta.Models.Weighting.Gradients;

namespace Mta.Models.Tests;

/// <summary>
/// The gradient methods on two conflicting 2-D gradients, g1 = (1, 0) and g2 = (−1, 1) (g1·g2 = −1), whose answers
/// are worked out by hand below. Every method sees only the Gram matrix M = G Gᵀ and returns coefficients w with
/// d = w1·g1 + w2·g2.
/// </summary>
[TestClass]
public sealed class GradientMethodTests
{
    private static readonly double[] G1 = [1, 0];
    private static readonly double[] G2 = [-1, 1];
    private static readonly double[,] Conflicting = Gram(G1, G2);

    [TestMethod]
    public void PCGradProjectsEachGradientOffTheOtherOnlyWhenTheyConflict()
    {
        // g1' = g1 − (g1·g2/‖g2‖²) g2 = g1 + g2/2 = (0.5, 0.5); g2' = g2 − (g2·g1/‖g1‖²) g1 = g2 + g1 = (0, 1).
        // d = g1' + g2' = 2·g1 + 1.5·g2 = (0.5, 1.5).
        var w = PCGrad.Project(Conflicting, new WeightingRandom(1));
        Assert.AreEqual(2.0, w[0], 1e-12);
        Assert.AreEqual(1.5, w[1], 1e-12);
        var d = Combine(w, G1, G2);
        Assert.IsGreaterThan(0, Dot(d, G1), "no task's loss rises to first order");
        Assert.IsGreaterThan(0, Dot(d, G2));

        // No conflict: the plain sum.
        var aligned = PCGrad.Project(Gram([1, 0], [1, 1]), new WeightingRandom(1));
        CollectionAssert.AreEqual(new[] { 1.0, 1.0 }, aligned);
    }

    [TestMethod]
    public void MgdaFindsTheMinimumNormPointOfTheHull()
    {
        // min_γ ‖γ g1 + (1−γ) g2‖²: γ = (M22 − M12) / (M11 + M22 − 2 M12) = 3/5, the point (0.2, 0.4), orthogonal to g1 − g2.
        var w = Mgda.MinimumNorm(Conflicting);
        Assert.AreEqual(0.6, w[0], 1e-9);
        Assert.AreEqual(0.4, w[1], 1e-9);
        var d = Combine(w, G1, G2);
        Assert.AreEqual(0, Dot(d, [G1[0] - G2[0], G1[1] - G2[1]]), 1e-9);
    }

    [TestMethod]
    public void CAGradReachesTheBestWorstCaseDecreaseWithinItsBall()
    {
        // CAGrad's primal: max over ‖d − g0‖ ≤ c‖g0‖ of min_k g_k·d, with g0 = (g1 + g2)/2 = (0, 0.5). Brute force
        // over the ball's boundary (the objective is concave, so its maximum over the ball lies on it or at a kink
        // that a fine grid brackets) against the dual's answer.
        const double C = 0.5;
        double[] g0 = [0, 0.5];
        double radius = C * Math.Sqrt(Dot(g0, g0));
        double best = double.NegativeInfinity;
        for (int i = 0; i < 200_000; i++)
        {
            double angle = 2 * Math.PI * i / 200_000;
            double[] d = [g0[0] + radius * Math.Cos(angle), g0[1] + radius * Math.Sin(angle)];
            best = Math.Max(best, Math.Min(Dot(d, G1), Dot(d, G2)));
        }
        var coefficients = CAGrad.Direction(Conflicting, C).Select(v => v * (1 + C * C)).ToArray();   // undo the rescaling
        var found = Combine(coefficients, G1, G2);
        Assert.AreEqual(best, Math.Min(Dot(found, G1), Dot(found, G2)), 1e-6, "the worst task's decrease is the bound's maximum");
        double distance = Math.Sqrt(Math.Pow(found[0] - g0[0], 2) + Math.Pow(found[1] - g0[1], 2));
        Assert.AreEqual(radius, distance, 1e-6, "d lies on the ball's boundary");
    }

    [TestMethod]
    public void ImtlGivesEqualProjectionsOntoEveryTasksDirection()
    {
        // d = α g1 + (1 − α) g2 with d·u1 = d·u2: (2α − 1)·√2 = 2 − 3α, α = 2 − √2.
        var a = Imtl.Coefficients(Conflicting);
        Assert.AreEqual(2 - Math.Sqrt(2), a[0], 1e-9);
        Assert.AreEqual(1.0, a.Sum(), 1e-12);
        var d = Combine(a, G1, G2);
        Assert.AreEqual(Dot(d, G1) / Norm(G1), Dot(d, G2) / Norm(G2), 1e-9);
    }

    [TestMethod]
    public void AlignedMtlMakesTheTaskGradientsOrthogonalOfEqualNorm()
    {
        var b = AlignedMtl.Alignment(Conflicting);
        double[] a1 = Combine([b[0, 0], b[0, 1]], G1, G2), a2 = Combine([b[1, 0], b[1, 1]], G1, G2);
        Assert.AreEqual(0, Dot(a1, a2), 1e-9, "aligned gradients are orthogonal");
        double smallest = (3 - Math.Sqrt(5)) / 2;   // the smaller eigenvalue of M = [[1, −1], [−1, 2]]
        Assert.AreEqual(smallest, Dot(a1, a1), 1e-9, "with the norm of the smallest singular value");
        Assert.AreEqual(smallest, Dot(a2, a2), 1e-9);
    }

    [TestMethod]
    public void NashMtlSolvesTheBargainingCondition()
    {
        // (M̂ α)_k = 1/α_k with M̂ = M / ‖M‖_F: every task's gain from d equals 1/α_k.
        var alpha = NashMtl.Bargain(Conflicting, [1.0, 1.0]);
        double frobenius = Math.Sqrt(1 + 1 + 1 + 4);
        for (int k = 0; k < 2; k++)
        {
            double gain = (Conflicting[k, 0] * alpha[0] + Conflicting[k, 1] * alpha[1]) / frobenius;
            Assert.AreEqual(1 / alpha[k], gain, 1e-4, $"task {k}");
        }
        var d = Combine(alpha, G1, G2);
        Assert.IsGreaterThan(0, Dot(d, G1));
        Assert.IsGreaterThan(0, Dot(d, G2));
    }

    [TestMethod]
    public void ATaskWithoutGradientGetsNoWeightAndTheOthersAreSolvedAlone()
    {
        var gram = new double[3, 3];
        gram[0, 0] = 1; gram[0, 2] = -1; gram[2, 0] = -1; gram[2, 2] = 2;   // tasks 0 and 2 = g1, g2; task 1 absent
        var weighting = new Mgda(3);
        var w = weighting.CombineGradients(gram);
        Assert.AreEqual(0, w[1]);
        Assert.AreEqual(0.6 * 2, w[0], 1e-9, "MGDA on the two present tasks, scaled by their count");
        Assert.AreEqual(1.0, weighting.ConflictRate);
    }

    [TestMethod]
    public void RandomWeightsSumToTheTaskCountAndRepeatWithTheSeed()
    {
        var first = RandomLossWeighting.Draw(new WeightingRandom(5), 3);
        Assert.AreEqual(3.0, first.Sum(), 1e-12);
        CollectionAssert.AreEqual(first, RandomLossWeighting.Draw(new WeightingRandom(5), 3));
        CollectionAssert.AreNotEqual(first, RandomLossWeighting.Draw(new WeightingRandom(6), 3));
    }

    [TestMethod]
    public void FamoMovesWeightToTheTaskThatGainedLessFromTheStep()
    {
        using var famo = new FamoLossWeighting(2);
        for (int step = 0; step < 20; step++)
        {
            using var a = TorchSharp.torch.tensor(1.0f);
            using var b = TorchSharp.torch.tensor(1.0f);
            famo.Combine([a, b]).Dispose();
            famo.AfterStep([0.5, 0.99]);   // task 0's loss halves, task 1's barely moves
        }
        var z = famo.TaskWeights();
        Assert.IsGreaterThan(z[0], z[1], $"z = {z[0]}, {z[1]}");
    }

    private static double[,] Gram(double[] a, double[] b) => new[,] { { Dot(a, a), Dot(a, b) }, { Dot(b, a), Dot(b, b) } };

    private static double Dot(double[] a, double[] b) => a[0] * b[0] + a[1] * b[1];

    private static double Norm(double[] a) => Math.Sqrt(Dot(a, a));

    private static double[] Combine(double[] w, double[] a, double[] b) => [w[0] * a[0] + w[1] * b[0], w[0] * a[1] + w[1] * b[1]];
}
