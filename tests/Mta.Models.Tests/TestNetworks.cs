using Mta.Models.Options;

namespace Mta.Models.Tests;

/// <summary>
/// Network options for tests whose behaviour does not depend on the ensemble. The default sizes the ensemble to the
/// rows (4 members on the small tables tests train on), which would make every such test about four times as slow;
/// the default's members are tested in EnsembleSizeTests and the ensemble itself in EnsembleTests.
/// </summary>
internal static class TestNetworks
{
    /// <summary>The default options with one network (no ensemble).</summary>
    public static NetworkOptions One { get; } = new() { EnsembleMembers = 1 };
}
