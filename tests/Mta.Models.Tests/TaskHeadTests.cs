using Mta.Models.Tasks;
using Mta.Models.Tasks.Heads;

namespace Mta.Models.Tests;

[TestClass]
public sealed class TaskHeadTests
{
    private static TaskSpec SpecOf(TaskKind kind) =>
        kind == TaskKind.Multiclass ? new TaskSpec("t", kind, classLabels: ["a", "b", "c"]) : new TaskSpec("t", kind);

    [TestMethod]
    public void EveryTaskKindHasItsHead()
    {
        foreach (var kind in Enum.GetValues<TaskKind>())
            Assert.AreEqual(kind, TaskHeads.For(kind).Kind);
    }

    [TestMethod]
    public void EveryDefaultOutputIsOneTheHeadOffers()
    {
        foreach (var kind in Enum.GetValues<TaskKind>())
        {
            var task = SpecOf(kind);
            var head = TaskHeads.For(task);
            foreach (var output in head.DefaultOutputs(task))
                Assert.IsTrue(head.Offers(task, output.Kind), $"{kind}: {output.Kind}");
        }
    }

    [TestMethod]
    public void AnUnknownKindIsRejectedNamingTheTask()
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new TaskSpec("churn", (TaskKind)99));
        Assert.AreEqual("kind", e.ParamName);
        StringAssert.Contains(e.Message, "churn");
    }
}
