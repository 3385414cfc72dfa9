using P2POrleans.Common;

namespace P2POrleans.Chord;

/// <summary>
/// Whole-overlay operations for the console and experiments (key = overlay name): bulk joins,
/// converged builds and ground-truth checks. It uses the registry's membership, never routes.
/// </summary>
public interface IChordOverlayGrain : IGrainWithStringKey
{
    /// <summary>Joins `hosts` new simulated hosts (each with the overlay's virtual nodes) through the real join protocol.</summary>
    Task<IReadOnlyList<NodeId>> JoinHostsAsync(int hosts);

    /// <summary>Joins one peer with an explicit id.</summary>
    Task<NodeId> JoinIdAsync(NodeId id);

    /// <summary>Adds `hosts` hosts with the ideal ring state installed directly.</summary>
    Task<IReadOnlyList<NodeId>> BuildConvergedAsync(int hosts);

    Task<ChordCheckReport> CheckAsync();

    /// <summary>Every live peer's state, in ring order.</summary>
    Task<IReadOnlyList<ChordPeerState>> RingAsync();

    /// <summary>A live peer: the given one if it is a member, else one picked by the registry.</summary>
    Task<NodeId> ResolveInitiatorAsync(NodeId? preferred);
}
