namespace P2POrleans.Common;

/// <summary>What the registry knows of an overlay: its configuration and ground-truth membership size.</summary>
[GenerateSerializer, Immutable, Alias("p2p.OverlayInfo")]
public sealed record OverlayInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] OverlayParameters Parameters,
    [property: Id(2)] int Members,
    [property: Id(3)] long Round,
    [property: Id(4)] DateTimeOffset CreatedAt);
