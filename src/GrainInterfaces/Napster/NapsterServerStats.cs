namespace P2POrleans.Napster;

/// <summary>The central server as `stats` shows it.</summary>
[GenerateSerializer, Immutable, Alias("p2p.napster.NapsterServerStats")]
public sealed record NapsterServerStats(
    [property: Id(0)] bool Up,
    [property: Id(1)] int Peers,
    [property: Id(2)] int Files,
    [property: Id(3)] int Words,
    [property: Id(4)] int Epoch,
    [property: Id(5)] long Searches,
    [property: Id(6)] long DeadReported);
