using P2POrleans.Chord;
using P2POrleans.Common;

namespace P2POrleans.Client.Structured;

/// <summary>
/// Chord: joins of simulated hosts (each with the overlay's virtual nodes) through the join protocol,
/// the ideal ring installed for converged builds, keys replicated on successors. The bench uses the
/// defaults (m = 160, r = 8), built converged, and looks up hashed key names.
/// </summary>
public sealed class ChordAdapter : KeyValueAdapter<IChordPeerGrain>
{
    public static ChordAdapter Instance { get; } = new();

    public override string Protocol => ChordParameters.Name;

    public override Task<IReadOnlyList<NodeId>> JoinAsync(IClusterClient client, string overlay, int count) => Overlay(client, overlay).JoinHostsAsync(count);

    public override Task<NodeId> JoinIdAsync(IClusterClient client, string overlay, NodeId id) => Overlay(client, overlay).JoinIdAsync(id);

    public override Task<IReadOnlyList<NodeId>> BuildConvergedAsync(IClusterClient client, string overlay, int count) => Overlay(client, overlay).BuildConvergedAsync(count);

    public override async Task<IReadOnlyList<NodeId>> BuildForBenchAsync(IClusterClient client, string overlay, int peers, long seed, CancellationToken cancellationToken)
    {
        await client.GetGrain<IOverlayRegistryGrain>(overlay).CreateAsync(new ChordParameters { Seed = seed });
        return await BuildConvergedAsync(client, overlay, peers);
    }

    /// <summary>Peak RSS / N of 10^6 converged peers was 5.8 kB (docs/bench.md); routing state barely grows with N.</summary>
    public override double EstimatedBytesPerPeer(int peers) => 6_000;

    protected override NodeId BenchKey(int i) => IdSpace.Sha1.Hash($"bench-key-{i}");

    private static IChordOverlayGrain Overlay(IClusterClient client, string overlay) => client.GetGrain<IChordOverlayGrain>(overlay);
}
