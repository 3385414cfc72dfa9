using P2POrleans.Unstructured;

namespace P2POrleans.Napster;

/// <summary>
/// The central Napster server of an overlay (key = overlay name): introducer and directory. While
/// it is down every call throws <see cref="Common.P2PException"/>: the single point of failure.
/// </summary>
public interface INapsterServerGrain : IGrainWithStringKey
{
    Task StartAsync(NapsterParameters parameters);

    /// <summary>A newcomer: the introducer names a few recent peers, then the peer's file list is indexed.</summary>
    Task<IReadOnlyList<PeerEndpoint>> JoinAsync(PeerEndpoint peer, IReadOnlyList<SharedFile> files);

    /// <summary>Uploads (replaces) the peer's file list on connect; false if the server had forgotten it.</summary>
    Task<bool> LoginAsync(PeerEndpoint peer, IReadOnlyList<SharedFile> files);

    Task LogoutAsync(PeerEndpoint peer);

    /// <summary>Whether the server knows the peer (after a restart it knows nobody until they log in again).</summary>
    Task<bool> IsOnlineAsync(PeerEndpoint peer);

    Task<IReadOnlyList<DirectoryEntry>> SearchAsync(string keywords, int maxResults);

    /// <summary>A client found the peer dead: its files go.</summary>
    Task ReportDeadAsync(PeerEndpoint peer);

    /// <summary>The server crashes: its directory is lost.</summary>
    Task FailAsync();

    /// <summary>The server comes back empty; peers re-register on their next round.</summary>
    Task RecoverAsync();

    Task<NapsterServerStats> StatsAsync();

    Task StopAsync();
}
