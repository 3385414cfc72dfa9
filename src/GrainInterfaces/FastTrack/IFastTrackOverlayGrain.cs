using P2POrleans.Common;
using P2POrleans.Unstructured;

namespace P2POrleans.FastTrack;

/// <summary>
/// Whole-overlay operations of a FastTrack overlay (key = overlay name), and the list of known
/// supernodes a client starts from (FastTrack clients shipped with one and refreshed it).
/// </summary>
public interface IFastTrackOverlayGrain : IUnstructuredOverlayGrain
{
    Task<OverlayInfo> CreateAsync(FastTrackParameters parameters);

    Task<IReadOnlyList<int>> SupernodesAsync();

    Task AddSupernodeAsync(int node);

    Task RemoveSupernodeAsync(int node);
}
