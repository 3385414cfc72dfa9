using P2POrleans.Common;

namespace P2POrleans.Kelips;

/// <summary>
/// Whole-overlay operations of a Kelips overlay for the console and experiments (key = overlay name):
/// the structured overlays' joins (each through a live peer the registry picks) and converged build
/// (whole group view, c contacts per foreign group; <c>KelipsIdealState</c>, docs/kelips.md), and the
/// ground-truth check.
/// </summary>
public interface IKelipsOverlayGrain : IStructuredOverlayGrain
{
    /// <summary>Every live peer against the truth, with the per-group summary.</summary>
    Task<KelipsCheckReport> CheckAsync();
}
