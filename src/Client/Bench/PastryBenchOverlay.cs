using P2POrleans.Common;
using P2POrleans.Pastry;

namespace P2POrleans.Client.Bench;

/// <summary>Pastry with its defaults (b = 4, |L| = 16, proximity selection), built converged.</summary>
public sealed class PastryBenchOverlay : IBenchOverlay
{
    private readonly PastryParameters _defaults = new();

    public string Protocol => PastryParameters.Name;

    public async Task<IReadOnlyList<NodeId>> BuildAsync(IClusterClient client, string overlay, int peers, long seed, CancellationToken cancellationToken)
    {
        await client.GetGrain<IOverlayRegistryGrain>(overlay).CreateAsync(_defaults with { Seed = seed });
        return await client.GetGrain<IPastryOverlayGrain>(overlay).BuildConvergedAsync(peers);
    }

    /// <summary>Peak RSS / N of 10^5 converged peers was 16.7 kB (docs/bench.md); the routing table grows with log16 N.</summary>
    public double EstimatedBytesPerPeer(int peers) => 18_000;

    public async Task<BenchLookup> LookupAsync(IClusterClient client, string overlay, NodeId from, int i)
    {
        var r = await GrainReferences.Peer<IPastryPeerGrain>(client, overlay, from).LookupAsync(_defaults.Space.Hash($"bench-key-{i}"), null);
        return new BenchLookup(r.Hops, r.Messages, r.Success);
    }
}
