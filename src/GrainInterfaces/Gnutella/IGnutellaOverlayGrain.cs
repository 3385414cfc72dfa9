using P2POrleans.Common;
using P2POrleans.Unstructured;

namespace P2POrleans.Gnutella;

/// <summary>Whole-overlay operations of a Gnutella overlay (key = overlay name); a newcomer links to random members.</summary>
public interface IGnutellaOverlayGrain : IUnstructuredOverlayGrain
{
    /// <summary>Creates the overlay and its peers with their links and files.</summary>
    Task<OverlayInfo> CreateAsync(GnutellaParameters parameters);
}
