namespace P2POrleans.Common;

/// <summary>
/// Reads of the overlays for the console (key 0): served by a stateless worker on whichever silo the
/// call reaches, from that silo's replica of the registries, so no single grain is on a request's path
/// (docs/cluster.md, "No grain on every request's path").
/// </summary>
public interface IOverlayCatalogGrain : IGrainWithIntegerKey
{
    /// <summary>The overlay, or null when there is none of that name.</summary>
    Task<OverlayInfo?> GetAsync(string name);

    /// <summary>Every overlay, in name order.</summary>
    Task<IReadOnlyList<OverlayInfo>> ListAsync();

    /// <summary>The members in id order (empty for an unknown overlay).</summary>
    Task<IReadOnlyList<NodeId>> GetMembersAsync(string name);

    /// <summary>
    /// The <paramref name="count"/> members that follow <paramref name="id"/> in id order, wrapping around (the
    /// ring order of the structured overlays; <paramref name="id"/> itself left out); empty for an unknown overlay.
    /// A peer that lost every contact joins again through them (docs/chord.md, "A whole silo's peers at once").
    /// </summary>
    Task<IReadOnlyList<NodeId>> GetMembersAfterAsync(string name, NodeId id, int count);

    /// <summary>
    /// Up to <paramref name="count"/> distinct random members to start a lookup from, leaving out those
    /// whose grain lives on a silo that membership declared dead or whose endpoint ("127.0.0.1:22002")
    /// is in <paramref name="avoidSilos"/> (silos the caller found unreachable), and those in
    /// <paramref name="avoidPeers"/>; empty when the overlay has no such members.
    /// </summary>
    Task<IReadOnlyList<NodeId>> PickInitiatorsAsync(string name, int count, IReadOnlyList<string> avoidSilos, IReadOnlyList<NodeId> avoidPeers);
}
