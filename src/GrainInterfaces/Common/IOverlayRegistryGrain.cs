using Orleans.Runtime;

namespace P2POrleans.Common;

/// <summary>
/// One per overlay (key = overlay name). Keeps the configuration and the ground-truth membership
/// used for bootstrap and checks; it is never consulted to route (docs/architecture.md section 3).
/// </summary>
public interface IOverlayRegistryGrain : IGrainWithStringKey
{
    /// <summary>Creates the overlay; throws <see cref="P2PException"/> when it exists or a parameter is invalid.</summary>
    Task<OverlayInfo> CreateAsync(OverlayParameters parameters);

    /// <summary>The overlay, or null when there is none of that name.</summary>
    Task<OverlayInfo?> GetAsync();

    /// <summary>Stops every member and forgets the overlay.</summary>
    Task DeleteAsync();

    Task AddMemberAsync(NodeId id);

    Task AddMembersAsync(IReadOnlyList<NodeId> ids);

    Task RemoveMemberAsync(NodeId id);

    /// <summary>Live members in id order.</summary>
    Task<IReadOnlyList<NodeId>> GetMembersAsync();

    /// <summary>A random live member to join through, or null for an empty overlay.</summary>
    Task<NodeId?> PickMemberAsync();

    /// <summary>Next free simulated host number (peer addresses are generated from it).</summary>
    Task<int> AllocateHostsAsync(int count);

    /// <summary>The silo hosting this registry (tests kill other silos: the registry is bookkeeping, not protocol).</summary>
    Task<SiloAddress> GetHostAsync();

    /// <summary>Runs `rounds` rounds of periodic work on every live member, in id order (deterministic).</summary>
    [ResponseTimeout("01:00:00")] // bulk work: 5 rounds of 10^4 Kelips peers took over 5 minutes at load 25-30 (paper-scale kelips-memory)
    Task<long> StepAsync(int rounds, GrainCancellationToken? cancellation = null);
}
