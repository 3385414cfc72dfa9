using P2POrleans.Common;
using P2POrleans.Pastry;

namespace P2POrleans.Client.Soak;

/// <summary>Pastry: joins through a nearby node, crashes, put/get of keys (k replicas around the key).</summary>
public sealed class PastrySoakTarget : ISoakTarget
{
    public string Protocol => PastryParameters.Name;

    public Task<IReadOnlyList<NodeId>> JoinAsync(IClusterClient client, string overlay, int count) =>
        client.GetGrain<IPastryOverlayGrain>(overlay).JoinHostsAsync(count);

    public Task FailAsync(IClusterClient client, string overlay, NodeId peer) =>
        client.GetGrain<IPastryPeerGrain>(PeerKeys.For(overlay, peer)).FailAsync();

    public Task PutAsync(IClusterClient client, string overlay, NodeId from, string key, string value) =>
        client.GetGrain<IPastryPeerGrain>(PeerKeys.For(overlay, from)).PutAsync(key, value);

    public async Task<SoakRead> GetAsync(IClusterClient client, string overlay, NodeId from, string key)
    {
        var r = await client.GetGrain<IPastryPeerGrain>(PeerKeys.For(overlay, from)).GetAsync(key);
        return new SoakRead(r.Value, r.Lookup.LatencyMs, r.Lookup.Hops);
    }
}
