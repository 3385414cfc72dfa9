using P2POrleans.Common;

namespace P2POrleans.Kelips;

/// <summary>An insert or delete at the home node: the file's group and the contact the filetuple went to (null: own group, or spread by later gossip).</summary>
[GenerateSerializer, Immutable, Alias("p2p.kelips.KelipsInsertResult")]
public sealed record KelipsInsertResult(
    [property: Id(0)] string FileName,
    [property: Id(1)] NodeId Home,
    [property: Id(2)] int FileGroup,
    [property: Id(3)] NodeId? SentTo,
    [property: Id(4)] bool Deleted);
