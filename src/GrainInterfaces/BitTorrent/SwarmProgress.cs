namespace P2POrleans.BitTorrent;

/// <summary>Where a swarm's simulation stands.</summary>
[GenerateSerializer, Immutable, Alias("p2p.bt.SwarmProgress")]
public sealed record SwarmProgress(
    [property: Id(0)] string Name,
    [property: Id(1)] string InfoHash,
    [property: Id(2)] long Tick,
    [property: Id(3)] double Time,
    [property: Id(4)] int Leechers,
    [property: Id(5)] int Completed,
    [property: Id(6)] int Active,
    [property: Id(7)] double MeanHave,
    [property: Id(8)] int Pieces,
    [property: Id(9)] IReadOnlyList<SwarmCompletion> Completions)
{
    /// <summary>Every leecher that is still a member (or left after finishing) has finished.</summary>
    [Id(10)] public bool Done { get; init; }
}
