using P2POrleans.Common;

namespace P2POrleans.Client.Bench;

/// <summary>One structured overlay as `p2p bench` drives it: build N peers, then look keys up from random members.</summary>
public interface IBenchOverlay
{
    string Protocol { get; }

    /// <summary>Creates the overlay and brings it to a working state; returns its members.</summary>
    Task<IReadOnlyList<NodeId>> BuildAsync(IClusterClient client, string overlay, int peers, long seed, CancellationToken cancellationToken);

    /// <summary>
    /// Peak resident bytes per peer at this size, from measured runs (docs/bench.md), with some
    /// headroom: what <see cref="BenchMemory"/> uses to refuse sizes that would not fit.
    /// </summary>
    double EstimatedBytesPerPeer(int peers);

    /// <summary>The i-th lookup of the workload, started at <paramref name="from"/>.</summary>
    Task<BenchLookup> LookupAsync(IClusterClient client, string overlay, NodeId from, int i);
}
