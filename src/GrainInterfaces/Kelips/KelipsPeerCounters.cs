namespace P2POrleans.Kelips;

/// <summary>
/// Sizes and traffic of one peer: entries and bytes of each table under the size model, and the
/// gossip it sent (messages and bytes) over its rounds.
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.kelips.KelipsPeerCounters")]
public sealed record KelipsPeerCounters(
    [property: Id(0)] int ViewEntries,
    [property: Id(1)] int ContactEntries,
    [property: Id(2)] int FileTupleEntries,
    [property: Id(3)] long ViewBytes,
    [property: Id(4)] long ContactBytes,
    [property: Id(5)] long FileTupleBytes,
    [property: Id(6)] long Rounds,
    [property: Id(7)] long GossipMessages,
    [property: Id(8)] long GossipBytes,
    [property: Id(9)] int LastRoundMessages,
    [property: Id(10)] int LastRoundBytes,
    [property: Id(11)] long LookupMessages)
{
    public long StateBytes => ViewBytes + ContactBytes + FileTupleBytes;
}
