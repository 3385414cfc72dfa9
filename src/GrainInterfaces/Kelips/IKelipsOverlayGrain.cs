using P2POrleans.Common;

namespace P2POrleans.Kelips;

/// <summary>
/// Whole-overlay operations for the console and experiments (key = overlay name): bulk joins and
/// ground-truth checks. It uses the registry's membership, never routes.
/// </summary>
public interface IKelipsOverlayGrain : IGrainWithStringKey
{
    /// <summary>Joins `count` new simulated peers, each through a live peer the registry picks.</summary>
    [ResponseTimeout("01:00:00")] // bulk work: one join after another, 10^4 of them in the paper-scale kelips-memory run
    Task<IReadOnlyList<NodeId>> JoinPeersAsync(int count);

    /// <summary>
    /// Adds `count` simulated peers and installs every member's converged soft state at once (whole
    /// group view, c contacts per foreign group; <c>KelipsIdealState</c>) instead of joins and gossip
    /// rounds: for benchmarks and experiments that do not study convergence (docs/kelips.md, converged build).
    /// </summary>
    [ResponseTimeout("01:00:00")] // bulk work: tens of seconds for large N
    Task<IReadOnlyList<NodeId>> BuildConvergedAsync(int count);

    /// <summary>Joins one peer with an explicit id.</summary>
    Task<NodeId> JoinIdAsync(NodeId id);

    /// <summary>Every live peer against the truth, with the per-group summary.</summary>
    Task<KelipsCheckReport> CheckAsync();

    /// <summary>A live peer: the given one if it is a member, else one picked by the registry.</summary>
    Task<NodeId> ResolveInitiatorAsync(NodeId? preferred);
}
