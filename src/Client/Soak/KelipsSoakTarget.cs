using P2POrleans.Common;
using P2POrleans.Kelips;

namespace P2POrleans.Client.Soak;

/// <summary>
/// Kelips: a key is a file stored at its home node (the peer that inserted it) with filetuples in its
/// affinity group. The paper keeps one copy, so a file whose home crashed is lost by design.
/// </summary>
public sealed class KelipsSoakTarget : ISoakTarget
{
    public string Protocol => KelipsParameters.Name;

    public Task<IReadOnlyList<NodeId>> JoinAsync(IClusterClient client, string overlay, int count) =>
        client.GetGrain<IKelipsOverlayGrain>(overlay).JoinPeersAsync(count);

    public Task FailAsync(IClusterClient client, string overlay, NodeId peer) =>
        client.GetGrain<IKelipsPeerGrain>(PeerKeys.For(overlay, peer)).FailAsync();

    public Task PutAsync(IClusterClient client, string overlay, NodeId from, string key, string value) =>
        client.GetGrain<IKelipsPeerGrain>(PeerKeys.For(overlay, from)).InsertAsync(key, value);

    public async Task<SoakRead> GetAsync(IClusterClient client, string overlay, NodeId from, string key)
    {
        var r = await client.GetGrain<IKelipsPeerGrain>(PeerKeys.For(overlay, from)).LookupAsync(key);
        return new SoakRead(r.Fetched ? r.Content : null, r.Lookup.LatencyMs + r.FetchRttMs, r.PathLength);
    }
}
