using P2POrleans.Common;

namespace P2POrleans.Pastry;

/// <summary>
/// Whole-overlay operations for the console and experiments (key = overlay name): bulk joins,
/// converged builds and ground-truth checks. It uses the registry's membership, never routes.
/// </summary>
public interface IPastryOverlayGrain : IGrainWithStringKey
{
    /// <summary>Joins `hosts` new simulated hosts one after the other through the real join protocol.</summary>
    [ResponseTimeout("01:00:00")] // bulk work for experiments: minutes for large N
    Task<IReadOnlyList<NodeId>> JoinHostsAsync(int hosts);

    /// <summary>Joins one peer with an explicit id.</summary>
    Task<NodeId> JoinIdAsync(NodeId id);

    /// <summary>Adds `hosts` hosts and installs every member's converged state (<c>PastryIdealState</c>).</summary>
    [ResponseTimeout("01:00:00")]
    Task<IReadOnlyList<NodeId>> BuildConvergedAsync(int hosts);

    [ResponseTimeout("00:30:00")]
    Task<PastryCheckReport> CheckAsync();

    /// <summary>A live peer: the given one if it is a member, else one picked by the registry.</summary>
    Task<NodeId> ResolveInitiatorAsync(NodeId? preferred);
}
