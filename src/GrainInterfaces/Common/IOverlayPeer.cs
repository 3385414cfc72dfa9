namespace P2POrleans.Common;

/// <summary>What the registry needs of any protocol's peer grain: the stepped clock and deletion.</summary>
public interface IOverlayPeer : IGrainWithStringKey
{
    /// <summary>Runs the peer's periodic work once (stepped clock).</summary>
    Task TickAsync(long round);

    /// <summary>Stops the peer without any protocol action (overlay deleted).</summary>
    Task StopAsync();
}
