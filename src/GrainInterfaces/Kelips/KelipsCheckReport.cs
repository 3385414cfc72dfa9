namespace P2POrleans.Kelips;

/// <summary>
/// Every live peer against the truth: view completeness per group (the fraction of live group
/// mates in each view), stale (dead) view entries, contacts (foreign groups with at least one live
/// contact, dead contacts held), filetuple coverage (live files of the group held), and sizes.
/// <see cref="UnindexedFiles"/> counts the live files whose affinity group has no live member at
/// all: no peer can hold their filetuple (section 2), so no lookup finds them until a peer joins
/// that group, and the per-peer measures above cannot see them.
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.kelips.KelipsCheckReport")]
public sealed record KelipsCheckReport(
    [property: Id(0)] int Peers,
    [property: Id(1)] int GroupCount,
    [property: Id(2)] int Files,
    [property: Id(3)] double ViewCompleteness,
    [property: Id(4)] int CompleteViews,
    [property: Id(5)] int StaleViewEntries,
    [property: Id(6)] double ContactCoverage,
    [property: Id(7)] int DeadContacts,
    [property: Id(8)] int TotalContacts,
    [property: Id(9)] double FileTupleCoverage,
    [property: Id(10)] double MeanStateBytes,
    [property: Id(11)] double GossipBytesPerPeerPerRound,
    [property: Id(12)] double GossipMessagesPerPeerPerRound,
    [property: Id(13)] IReadOnlyList<KelipsGroupSummary> Groups,
    [property: Id(14)] int UnindexedFiles = 0)
{
    /// <summary>Every view holds every live group mate and no dead one; every peer holds every live file of its group.</summary>
    public bool Converged => CompleteViews == Peers && StaleViewEntries == 0 && FileTupleCoverage >= 1.0;
}
