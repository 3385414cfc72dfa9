namespace P2POrleans.Unstructured;

/// <summary>Messages by Gnutella descriptor type (Napster and FastTrack requests counted as Query/QueryHit).</summary>
[GenerateSerializer, Immutable, Alias("p2p.unstructured.DescriptorCounts")]
public sealed record DescriptorCounts(
    [property: Id(0)] long Ping,
    [property: Id(1)] long Pong,
    [property: Id(2)] long Push,
    [property: Id(3)] long Query,
    [property: Id(4)] long QueryHit)
{
    public static DescriptorCounts Zero { get; } = new(0, 0, 0, 0, 0);

    public long Total => Ping + Pong + Push + Query + QueryHit;

    public static DescriptorCounts operator +(DescriptorCounts a, DescriptorCounts b) =>
        new(a.Ping + b.Ping, a.Pong + b.Pong, a.Push + b.Push, a.Query + b.Query, a.QueryHit + b.QueryHit);

    public static DescriptorCounts operator -(DescriptorCounts a, DescriptorCounts b) =>
        new(a.Ping - b.Ping, a.Pong - b.Pong, a.Push - b.Push, a.Query - b.Query, a.QueryHit - b.QueryHit);
}
