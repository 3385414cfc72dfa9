using P2POrleans.Chord;
using P2POrleans.Common;

namespace P2POrleans.Client.Soak;

/// <summary>Chord: joins through the real join protocol, crashes, put/get of keys (replicated on successors).</summary>
public sealed class ChordSoakTarget : ISoakTarget
{
    public string Protocol => ChordParameters.Name;

    public Task<IReadOnlyList<NodeId>> JoinAsync(IClusterClient client, string overlay, int count) =>
        client.GetGrain<IChordOverlayGrain>(overlay).JoinHostsAsync(count);

    public Task FailAsync(IClusterClient client, string overlay, NodeId peer) =>
        client.GetGrain<IChordPeerGrain>(PeerKeys.For(overlay, peer)).FailAsync();

    public Task PutAsync(IClusterClient client, string overlay, NodeId from, string key, string value) =>
        client.GetGrain<IChordPeerGrain>(PeerKeys.For(overlay, from)).PutAsync(key, value);

    public async Task<SoakRead> GetAsync(IClusterClient client, string overlay, NodeId from, string key)
    {
        var r = await client.GetGrain<IChordPeerGrain>(PeerKeys.For(overlay, from)).GetAsync(key);
        return new SoakRead(r.Value, r.Lookup.LatencyMs, r.Lookup.Hops);
    }
}
