namespace P2POrleans.BitTorrent.Choking;

/// <summary>
/// What the choker knows of one connected peer.
/// </summary>
/// <param name="Interested">The peer is interested in us (only interested peers are unchoked).</param>
/// <param name="DownloadRate">Bytes/s we receive from it (ranks peers while leeching).</param>
/// <param name="UploadRate">Bytes/s we send to it (ranks peers while seeding).</param>
/// <param name="LastBlockAt">When it last sent us a block, or when the connection opened if never.</param>
public sealed record ChokerPeer(PeerId Id, bool Interested, double DownloadRate, double UploadRate, double LastBlockAt);
