using P2POrleans.Common;

namespace P2POrleans.Chord;

/// <summary>
/// Whole-overlay operations of a Chord overlay for the console and experiments (key = overlay name):
/// the structured overlays' joins and converged build, and the ground-truth check against the ideal ring.
/// </summary>
public interface IChordOverlayGrain : IStructuredOverlayGrain
{
    [ResponseTimeout("00:30:00")]
    Task<ChordCheckReport> CheckAsync();

    /// <summary>Every live peer's state, in ring order.</summary>
    Task<IReadOnlyList<ChordPeerState>> RingAsync();
}
