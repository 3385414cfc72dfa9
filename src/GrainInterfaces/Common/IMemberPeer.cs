namespace P2POrleans.Common;

/// <summary>
/// A peer that joins an overlay as a member and can leave it or crash (docs/architecture.md section 6): what
/// the console's shared `leave` and `fail` commands need of a structured overlay's peer grain.
/// </summary>
public interface IMemberPeer : IOverlayPeer
{
    /// <summary>Graceful leave: the protocol's hand-over, then the peer stops.</summary>
    Task LeaveAsync();

    /// <summary>Crash: state dropped, nothing handed over.</summary>
    Task FailAsync();

    Task<bool> IsMemberAsync();
}
