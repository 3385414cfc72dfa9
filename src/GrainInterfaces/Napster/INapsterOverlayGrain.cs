using P2POrleans.Common;
using P2POrleans.Unstructured;

namespace P2POrleans.Napster;

/// <summary>Whole-overlay operations of a Napster overlay (key = overlay name).</summary>
public interface INapsterOverlayGrain : IUnstructuredOverlayGrain
{
    /// <summary>Creates the overlay, starts its server and joins every peer with its files.</summary>
    Task<OverlayInfo> CreateAsync(NapsterParameters parameters);
}
