using P2POrleans.Client.Bench;
using P2POrleans.Client.Soak;
using P2POrleans.Common;

namespace P2POrleans.Client.Structured;

/// <summary>
/// The part Chord and Pastry share: their overlay grains are <see cref="IStructuredOverlayGrain"/>s (joins,
/// converged build) and their peers <see cref="IKeyValuePeer"/>s (lookup of a key id, put and get of
/// key-value pairs), so joining, building, crashing, storing, reading and the bench's lookups are the same calls.
/// </summary>
public abstract class KeyValueAdapter<TPeer, TOverlay> : IStructuredAdapter
    where TPeer : IKeyValuePeer
    where TOverlay : IStructuredOverlayGrain
{
    public abstract string Protocol { get; }

    public Task<IReadOnlyList<NodeId>> JoinAsync(IClusterClient client, string overlay, int count) => Overlay(client, overlay).JoinHostsAsync(count);

    public Task<NodeId> JoinIdAsync(IClusterClient client, string overlay, NodeId id) => Overlay(client, overlay).JoinIdAsync(id);

    public Task<IReadOnlyList<NodeId>> BuildConvergedAsync(IClusterClient client, string overlay, int count) => Overlay(client, overlay).BuildConvergedAsync(count);

    /// <summary>The bench's overlay: the protocol's defaults (and the instance's lookup mode), built converged.</summary>
    public async Task<IReadOnlyList<NodeId>> BuildForBenchAsync(IClusterClient client, string overlay, int peers, long seed, CancellationToken cancellationToken)
    {
        await client.GetGrain<IOverlayRegistryGrain>(overlay).CreateAsync(BenchParameters(seed));
        return await BuildConvergedAsync(client, overlay, peers);
    }

    /// <summary>The parameters of the bench's overlays.</summary>
    protected abstract OverlayParameters BenchParameters(long seed);

    /// <summary>The id the bench's i-th lookup looks for: a hashed key name.</summary>
    protected abstract NodeId BenchKey(int i);

    public abstract double EstimatedBytesPerPeer(int peers);

    protected static TOverlay Overlay(IClusterClient client, string overlay) => client.GetGrain<TOverlay>(overlay);

    public static TPeer Peer(IClusterClient client, string overlay, NodeId id) => GrainReferences.Peer<TPeer>(client, overlay, id);

    public Task FailAsync(IClusterClient client, string overlay, NodeId peer) => Peer(client, overlay, peer).FailAsync();

    public Task PutAsync(IClusterClient client, string overlay, NodeId from, string key, string value) => Peer(client, overlay, from).PutAsync(key, value);

    public async Task<SoakRead> GetAsync(IClusterClient client, string overlay, NodeId from, string key)
    {
        var r = await Peer(client, overlay, from).GetAsync(key);
        return new SoakRead(r.Value, r.Lookup.LatencyMs, r.Lookup.Hops);
    }

    public async Task<BenchLookup> BenchLookupAsync(IClusterClient client, string overlay, NodeId from, int i)
    {
        var r = await Peer(client, overlay, from).LookupAsync(BenchKey(i), null);
        return new BenchLookup(r.Hops, r.Messages, r.Success);
    }
}
