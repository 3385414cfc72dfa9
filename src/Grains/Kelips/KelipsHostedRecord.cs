namespace P2POrleans.Kelips;

/// <summary>A hosted file in a durable record (docs/durability.md): its tuple (tombstone included), the round it was published, its content.</summary>
[GenerateSerializer, Immutable, Alias("p2p.kelips.KelipsHostedRecord")]
public sealed record KelipsHostedRecord(
    [property: Id(0)] FileTuple Tuple,
    [property: Id(1)] long PublishedRound,
    [property: Id(2)] string? Content);
