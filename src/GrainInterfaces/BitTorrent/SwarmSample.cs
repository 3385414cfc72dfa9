namespace P2POrleans.BitTorrent;

/// <summary>
/// The swarm at one moment: distinct pieces held by the leechers (seeds excluded), and how many
/// members (seeds included) hold the rarest piece and the average piece.
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.bt.SwarmSample")]
public sealed record SwarmSample(
    [property: Id(0)] double Time,
    [property: Id(1)] int DistinctPieces,
    [property: Id(2)] int MinReplication,
    [property: Id(3)] double MeanReplication,
    [property: Id(4)] int Completed,
    [property: Id(5)] int Active);
