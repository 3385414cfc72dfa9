using P2POrleans.Common;
using P2POrleans.Unstructured;

namespace P2POrleans.Gnutella;

/// <summary>Whole-overlay operations of a Gnutella overlay (key = overlay name): build, join, ground truth, stats.</summary>
public interface IGnutellaOverlayGrain : IGrainWithStringKey
{
    /// <summary>Creates the overlay and its peers with their links and files.</summary>
    Task<OverlayInfo> CreateAsync(GnutellaParameters parameters);

    /// <summary>A new peer joins, linking to random members; returns its number.</summary>
    Task<int> JoinAsync(IReadOnlyList<string> files);

    /// <summary>The live peers and their links, read from the servents.</summary>
    Task<IReadOnlyList<UnstructuredPeerView>> PeersAsync();

    Task<int> RequireMemberAsync(int node);
}
