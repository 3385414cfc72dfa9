namespace P2POrleans.BitTorrent;

/// <summary>
/// What a live member tells a swarm driver that was activated again after its silo died
/// (docs/bittorrent.md, "When the driver's silo dies"): the pieces it holds, the next tick it has not
/// run, its completion, and (asked of one member only) the torrent.
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.bt.SwarmMemberSnapshot")]
public sealed record SwarmMemberSnapshot(
    [property: Id(0)] PeerId Peer,
    [property: Id(1)] byte[] Have,
    [property: Id(2)] long NextTick,
    [property: Id(3)] double? CompletedAt,
    [property: Id(4)] bool NeedsPeers,
    [property: Id(5)] bool OnWire,
    [property: Id(6)] byte[] Torrent);
