using Orleans.Services;

namespace P2POrleans.Common;

/// <summary>
/// The overlay replica on one silo (an Orleans grain service: one per silo, addressed by silo). The
/// registries send it their changes; the catalog and the registries of its own silo read it.
/// </summary>
[Alias("p2p.IOverlayReplicaService")]
public interface IOverlayReplicaService : IGrainService
{
    /// <summary>Applies a change; false when a partial change found a gap and the sender must send the whole overlay.</summary>
    [Alias("Apply")]
    Task<bool> ApplyAsync(OverlayChange change);

    /// <summary>This silo's copy of one overlay as a full change (a tombstone if deleted), or null if it never heard of it.</summary>
    [Alias("Get")]
    Task<OverlayChange?> GetAsync(string name);

    /// <summary>This silo's copy of every overlay (a silo that starts catches up from another).</summary>
    [Alias("All")]
    Task<IReadOnlyList<OverlayChange>> AllAsync();
}
