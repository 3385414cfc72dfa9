namespace P2POrleans.BitTorrent;

/// <summary>One member as `swarm status` shows it.</summary>
[GenerateSerializer, Immutable, Alias("p2p.bt.SwarmPeerStatus")]
public sealed record SwarmPeerStatus(
    [property: Id(0)] PeerId Peer,
    [property: Id(1)] PeerBehaviour Behaviour,
    [property: Id(2)] int Have,
    [property: Id(3)] int Pieces,
    [property: Id(4)] double UploadRate,
    [property: Id(5)] double DownloadRate,
    [property: Id(6)] long BytesUp,
    [property: Id(7)] long BytesDown,
    [property: Id(8)] int Connections,
    [property: Id(9)] IReadOnlyList<PeerId> UnchokedBy,
    [property: Id(10)] IReadOnlyList<PeerId> Unchoking,
    [property: Id(11)] double? CompletedAt,
    [property: Id(12)] int HashFailures,
    [property: Id(13)] IReadOnlyList<PeerId> Banned,
    [property: Id(14)] string State)
{
    /// <summary>On the wire: the endpoint the member listens on; null on simulated time.</summary>
    [Id(15)] public string? Listen { get; init; }

    /// <summary>On the wire: its open connections.</summary>
    [Id(16)] public IReadOnlyList<SwarmLinkStatus> Links { get; init; } = [];

    /// <summary>On the wire: connections closed so far, by reason (<see cref="WireCloseReason"/> names).</summary>
    [Id(17)] public IReadOnlyDictionary<string, int> Closed { get; init; } = new Dictionary<string, int>();
}
