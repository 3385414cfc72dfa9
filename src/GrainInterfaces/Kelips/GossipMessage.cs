using P2POrleans.Common;

namespace P2POrleans.Kelips;

/// <summary>
/// One gossip message of one round (Kelips section 2.1): a bounded number of membership entries
/// (the sender's affinity group, always including the sender's own heartbeat), contact entries
/// (peers of other groups) and filetuples. The receiver files every entry by its group: its own
/// group goes to the view / filetuples, any other group is a contact candidate.
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.kelips.GossipMessage")]
public sealed record GossipMessage(
    [property: Id(0)] NodeId Sender,
    [property: Id(1)] long Round,
    [property: Id(2)] MemberEntry[] Members,
    [property: Id(3)] MemberEntry[] Contacts,
    [property: Id(4)] FileTuple[] FileTuples);
