namespace P2POrleans.BitTorrent;

/// <summary>One peer wire connection of a member, as `swarm status` shows it.</summary>
/// <param name="Outside">True when the remote is not one of this tool's members (another client, e.g. Transmission).</param>
/// <param name="Client">The client named by the remote's peer id (Azureus style "-TR3000-" prefix), or "" if none.</param>
[GenerateSerializer, Immutable, Alias("p2p.bt.SwarmLinkStatus")]
public sealed record SwarmLinkStatus(
    [property: Id(0)] PeerId Peer,
    [property: Id(1)] string Endpoint,
    [property: Id(2)] bool Outside,
    [property: Id(3)] string Client,
    [property: Id(4)] long BytesUp,
    [property: Id(5)] long BytesDown,
    [property: Id(6)] double UploadRate,
    [property: Id(7)] double DownloadRate,
    [property: Id(8)] bool AmChoking,
    [property: Id(9)] bool PeerChoking,
    [property: Id(10)] bool AmInterested,
    [property: Id(11)] bool PeerInterested);
