using P2POrleans.Common;
using P2POrleans.Unstructured;

namespace P2POrleans.Napster;

/// <summary>Whole-overlay operations of a Napster overlay (key = overlay name).</summary>
public interface INapsterOverlayGrain : IGrainWithStringKey
{
    /// <summary>Creates the overlay, starts its server and joins every peer with its files.</summary>
    Task<OverlayInfo> CreateAsync(NapsterParameters parameters);

    Task<int> JoinAsync(IReadOnlyList<string> files);

    Task<IReadOnlyList<UnstructuredPeerView>> PeersAsync();

    Task<int> RequireMemberAsync(int node);
}
