namespace P2POrleans.Common;

/// <summary>
/// What the whole-overlay grains of Chord, Pastry and Kelips (key = overlay name) offer alike, for the
/// console, the web API, the bench, the soak and the experiments: joins of new simulated hosts, the join
/// of one peer with an explicit id, the converged build and the choice of an initiator. They use the
/// registry's membership and never route (docs/architecture.md).
/// </summary>
public interface IStructuredOverlayGrain : IGrainWithStringKey
{
    /// <summary>
    /// Joins `hosts` new simulated hosts (each with the overlay's virtual nodes, in Chord) one after the
    /// other through the real join protocol; a host whose id is already a member's is skipped.
    /// </summary>
    [ResponseTimeout("01:00:00")] // bulk work: minutes for 10^5 joins on a loaded machine
    Task<IReadOnlyList<NodeId>> JoinHostsAsync(int hosts);

    /// <summary>Joins one peer with an explicit id.</summary>
    Task<NodeId> JoinIdAsync(NodeId id);

    /// <summary>
    /// Adds `hosts` hosts and installs every member's converged state at once (the ideal ring, Pastry's
    /// ideal tables, Kelips' whole group view and contacts) instead of joins and rounds: for benchmarks
    /// and experiments that do not study convergence.
    /// </summary>
    [ResponseTimeout("01:00:00")] // 10^6 peers took over 5 minutes at load average 30-50 (docs/bench.md)
    Task<IReadOnlyList<NodeId>> BuildConvergedAsync(int hosts);

    /// <summary>A live peer: the given one if it is a member, else one picked by the registry.</summary>
    Task<NodeId> ResolveInitiatorAsync(NodeId? preferred);
}
