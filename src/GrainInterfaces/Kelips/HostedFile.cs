namespace P2POrleans.Kelips;

/// <summary>A file held by its home node, with the heartbeat of its filetuple (handed over on a graceful leave).</summary>
[GenerateSerializer, Immutable, Alias("p2p.kelips.HostedFile")]
public sealed record HostedFile(
    [property: Id(0)] string FileName,
    [property: Id(1)] string Content,
    [property: Id(2)] long Heartbeat);
