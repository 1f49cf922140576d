using Mta.Models.Options;

namespace Mta.MLNet.Tests;

/// <summary>
/// Network options for tests whose behaviour does not depend on the ensemble. The default sizes the ensemble to the
/// rows (4 members on the small data sets tests train on), which would make every such test about four times as
/// slow; ArchitectureSaveLoadTests and the Mta.Models tests cover the ensemble.
/// </summary>
internal static class TestNetworks
{
    /// <summary>The default options with one network (no ensemble).</summary>
    public static NetworkOptions One { get; } = new() { EnsembleMembers = 1 };
}
