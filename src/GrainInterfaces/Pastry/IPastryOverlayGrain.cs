using P2POrleans.Common;

namespace P2POrleans.Pastry;

/// <summary>
/// Whole-overlay operations of a Pastry overlay for the console and experiments (key = overlay name):
/// the structured overlays' joins and converged build (<c>PastryIdealState</c>), and the ground-truth check.
/// </summary>
public interface IPastryOverlayGrain : IStructuredOverlayGrain
{
    [ResponseTimeout("00:30:00")]
    Task<PastryCheckReport> CheckAsync();
}
