using P2POrleans.Common;

namespace P2POrleans.Chord;

/// <summary>
/// Whole-overlay operations for the console and experiments (key = overlay name): bulk joins,
/// converged builds and ground-truth checks. It uses the registry's membership, never routes.
/// </summary>
public interface IChordOverlayGrain : IGrainWithStringKey
{
    /// <summary>Joins `hosts` new simulated hosts (each with the overlay's virtual nodes) through the real join protocol.</summary>
    [ResponseTimeout("01:00:00")] // bulk work: minutes for 10^5 joins on a loaded machine
    Task<IReadOnlyList<NodeId>> JoinHostsAsync(int hosts);

    /// <summary>Joins one peer with an explicit id.</summary>
    Task<NodeId> JoinIdAsync(NodeId id);

    /// <summary>Adds `hosts` hosts with the ideal ring state installed directly.</summary>
    [ResponseTimeout("01:00:00")] // 10^6 peers took over 5 minutes at load average 30-50 (docs/bench.md)
    Task<IReadOnlyList<NodeId>> BuildConvergedAsync(int hosts);

    [ResponseTimeout("00:30:00")]
    Task<ChordCheckReport> CheckAsync();

    /// <summary>Every live peer's state, in ring order.</summary>
    Task<IReadOnlyList<ChordPeerState>> RingAsync();

    /// <summary>A live peer: the given one if it is a member, else one picked by the registry.</summary>
    Task<NodeId> ResolveInitiatorAsync(NodeId? preferred);
}
