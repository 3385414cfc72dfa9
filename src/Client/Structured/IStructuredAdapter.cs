using P2POrleans.Client.Bench;
using P2POrleans.Client.Soak;
using P2POrleans.Common;

namespace P2POrleans.Client.Structured;

/// <summary>
/// One structured overlay (Chord, Pastry, Kelips) as the console, `p2p bench`, `p2p soak` and the
/// experiments drive it: one adapter per protocol, so the four ask a protocol the same thing the same
/// way (docs/architecture.md, the console). The overlay must exist (created through the registry).
/// </summary>
public interface IStructuredAdapter
{
    /// <summary>The protocol's name, as the registry reports it (`chord`, `pastry`, `kelips`).</summary>
    string Protocol { get; }

    /// <summary>Joins <paramref name="count"/> new simulated hosts through the protocol's join; returns the peers that joined.</summary>
    Task<IReadOnlyList<NodeId>> JoinAsync(IClusterClient client, string overlay, int count);

    /// <summary>Joins one peer with an explicit id through the protocol's join.</summary>
    Task<NodeId> JoinIdAsync(IClusterClient client, string overlay, NodeId id);

    /// <summary>Adds <paramref name="count"/> hosts with their converged state installed directly (no joins, no rounds).</summary>
    Task<IReadOnlyList<NodeId>> BuildConvergedAsync(IClusterClient client, string overlay, int count);

    /// <summary>Crashes a peer: state dropped, nothing handed over.</summary>
    Task FailAsync(IClusterClient client, string overlay, NodeId peer);

    /// <summary>Stores a value under a key from a peer (Kelips: the file, with that peer as its home node).</summary>
    Task PutAsync(IClusterClient client, string overlay, NodeId from, string key, string value);

    /// <summary>Reads a key from a peer: the value (null if not found), the simulated latency and the hops.</summary>
    Task<SoakRead> GetAsync(IClusterClient client, string overlay, NodeId from, string key);

    /// <summary>`p2p bench`: creates the overlay with the protocol's defaults and brings it to a working state; returns its members.</summary>
    Task<IReadOnlyList<NodeId>> BuildForBenchAsync(IClusterClient client, string overlay, int peers, long seed, CancellationToken cancellationToken);

    /// <summary>
    /// `p2p bench`: peak resident bytes per peer at this size, from measured runs (docs/bench.md), what
    /// <see cref="BenchMemory"/> uses to refuse sizes this machine's free memory would not hold.
    /// </summary>
    double EstimatedBytesPerPeer(int peers);

    /// <summary>`p2p bench`: the i-th lookup of the workload, started at <paramref name="from"/>.</summary>
    Task<BenchLookup> BenchLookupAsync(IClusterClient client, string overlay, NodeId from, int i);
}
