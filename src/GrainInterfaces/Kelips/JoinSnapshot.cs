using P2POrleans.Common;

namespace P2POrleans.Kelips;

/// <summary>
/// What a live peer answers a newcomer (Kelips section 2, joining): the members of the newcomer's
/// affinity group it knows (its whole view if they share a group, else its contacts there), contact
/// candidates for the other groups (its contacts, plus its own group if it is foreign to the
/// newcomer), and the filetuples of the newcomer's group when it holds them.
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.kelips.JoinSnapshot")]
public sealed record JoinSnapshot(
    [property: Id(0)] NodeId Responder,
    [property: Id(1)] long Round,
    [property: Id(2)] MemberEntry[] GroupMembers,
    [property: Id(3)] MemberEntry[] Contacts,
    [property: Id(4)] FileTuple[] FileTuples);
