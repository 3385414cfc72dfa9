using P2POrleans.BitTorrent.Messages;

namespace P2POrleans.BitTorrent;

/// <summary>
/// The driver of one swarm (key = overlay name): creates the torrent and its members and advances
/// simulated time tick by tick. It reads the members' reports; it takes no part in the protocol.
/// </summary>
public interface ISwarmGrain : IGrainWithStringKey
{
    /// <summary>Stages part of a real file before <see cref="CreateAsync"/> with <see cref="SwarmParameters.FromFile"/>.</summary>
    Task StageContentAsync(long offset, byte[] chunk, long totalLength);

    /// <summary>Creates the overlay, the torrent and the seeds; leechers arrive as the run advances.</summary>
    Task<SwarmProgress> CreateAsync(SwarmParameters parameters);

    /// <summary>Advances <paramref name="ticks"/> ticks (fewer when everyone is done and <paramref name="stopWhenDone"/>).</summary>
    Task<SwarmProgress> StepAsync(int ticks, bool stopWhenDone = true);

    Task<SwarmProgress> GetProgressAsync();

    Task<IReadOnlyList<SwarmPeerStatus>> GetStatusAsync();

    /// <summary>Distinct pieces and replication, sampled every tick.</summary>
    Task<IReadOnlyList<SwarmSample>> GetHistoryAsync();

    /// <summary>The BEP 3 .torrent file.</summary>
    Task<byte[]> GetTorrentAsync();

    /// <summary>Every member ever created, in creation order, with its behaviour.</summary>
    Task<IReadOnlyList<(PeerId Peer, PeerBehaviour Behaviour)>> GetPeersAsync();

    Task<ScrapeResult> ScrapeAsync();

    /// <summary>
    /// Creates the swarm from a .torrent made elsewhere: no content and no seed of its own, only
    /// leechers, which can download on the wire (<see cref="ServeAsync"/>) from outside peers.
    /// </summary>
    Task<SwarmProgress> JoinTorrentAsync(byte[] torrent, SwarmParameters parameters);

    /// <summary>
    /// Puts the swarm on the wire, in real time: a BEP 3 HTTP tracker on 127.0.0.1:<paramref name="trackerPort"/>
    /// and every member speaking the peer wire protocol over TCP, on consecutive ports from
    /// <paramref name="port"/>. Only a swarm that has not run on simulated time can be served.
    /// </summary>
    Task<SwarmServeInfo> ServeAsync(string host, int port, int trackerPort);

    /// <summary>On the wire: every member dials the peer at host:port (e.g. an outside client).</summary>
    Task AddPeerAsync(string host, int port);

    /// <summary>The tracker and endpoints while on the wire; null otherwise.</summary>
    Task<SwarmServeInfo?> GetServeInfoAsync();

    /// <summary>
    /// Each member's pieces as the driver counted them from its reports (BEP 3 bitfield bytes, high
    /// bit first), in the order of <see cref="GetPeersAsync"/>: what the web view's heatmap draws.
    /// </summary>
    Task<IReadOnlyList<byte[]>> GetBitfieldsAsync();

    /// <summary>A piece of the original content (seeds load it at start).</summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<PieceMessage> ReadContentPieceAsync(int piece);
}
