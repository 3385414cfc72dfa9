using P2POrleans.Common;
using P2POrleans.Pastry;

namespace P2POrleans.Client.Structured;

/// <summary>
/// Pastry: joins of simulated hosts one after the other, each through a nearby node (section 2.4), the
/// converged state installed for converged builds, keys on the k numerically closest peers. The bench
/// uses the defaults (b = 4, |L| = 16, proximity selection), built converged, in the lookup mode of the
/// instance: iterative (<see cref="Instance"/>) or recursive (<see cref="Recursive"/>, the paper's
/// routing of section 2.2: each node forwards the message).
/// </summary>
public sealed class PastryAdapter : KeyValueAdapter<IPastryPeerGrain, IPastryOverlayGrain>
{
    private readonly PastryParameters _defaults;

    private PastryAdapter(PastryMode mode) => _defaults = new PastryParameters { Mode = mode };

    public static PastryAdapter Instance { get; } = new(PastryMode.Iterative);

    /// <summary>The same, but the bench's overlays route recursively.</summary>
    public static PastryAdapter Recursive { get; } = new(PastryMode.Recursive);

    /// <summary>The lookup mode of the overlays <see cref="BuildForBenchAsync"/> creates.</summary>
    public PastryMode Mode => _defaults.Mode;

    public override string Protocol => PastryParameters.Name;

    protected override OverlayParameters BenchParameters(long seed) => _defaults with { Seed = seed };

    /// <summary>
    /// From measurement (docs/bench.md, quiet-window measurements): 10^5 converged peers peaked at 10.0-10.4 kB of
    /// resident memory per peer, the whole process included (managed heap 6.8-6.9 kB); the routing table grows with log16 N.
    /// </summary>
    public override double EstimatedBytesPerPeer(int peers) => 11_000;

    protected override NodeId BenchKey(int i) => _defaults.Space.Hash($"bench-key-{i}");
}
