namespace P2POrleans.BitTorrent;

/// <summary>What a swarm member did in one tick, for the driver's statistics.</summary>
[GenerateSerializer, Immutable, Alias("p2p.bt.PeerTickReport")]
public sealed record PeerTickReport(
    [property: Id(0)] PeerId Peer,
    [property: Id(1)] int Have,
    [property: Id(2)] IReadOnlyList<int> PiecesVerified,
    [property: Id(3)] long BytesUp,
    [property: Id(4)] long BytesDown,
    [property: Id(5)] bool Complete,
    [property: Id(6)] bool Left,
    [property: Id(7)] bool NeedsPeers = false)
{
    /// <summary>What the member sent in the tick, per receiver, delivered with the receivers' next tick.</summary>
    [Id(8)] public IReadOnlyList<SwarmBatch> Outgoing { get; init; } = [];
}
