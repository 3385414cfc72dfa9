using P2POrleans.Chord;
using P2POrleans.Common;

namespace P2POrleans.Client.Bench;

/// <summary>Chord with its defaults (m = 160, r = 8), built converged; lookups of hashed key names.</summary>
public sealed class ChordBenchOverlay : IBenchOverlay
{
    public string Protocol => ChordParameters.Name;

    public async Task<IReadOnlyList<NodeId>> BuildAsync(IClusterClient client, string overlay, int peers, long seed, CancellationToken cancellationToken)
    {
        await client.GetGrain<IOverlayRegistryGrain>(overlay).CreateAsync(new ChordParameters { Seed = seed });
        return await client.GetGrain<IChordOverlayGrain>(overlay).BuildConvergedAsync(peers);
    }

    /// <summary>Peak RSS / N of 10^6 converged peers was 5.8 kB (docs/bench.md); routing state barely grows with N.</summary>
    public double EstimatedBytesPerPeer(int peers) => 6_000;

    public async Task<BenchLookup> LookupAsync(IClusterClient client, string overlay, NodeId from, int i)
    {
        var r = await GrainReferences.Peer<IChordPeerGrain>(client, overlay, from).LookupAsync(IdSpace.Sha1.Hash($"bench-key-{i}"), null);
        return new BenchLookup(r.Hops, r.Messages, r.Success);
    }
}
