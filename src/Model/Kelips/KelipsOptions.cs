namespace P2POrleans.Kelips;

/// <summary>
/// The parameters of one Kelips overlay, fixed at creation. Times are in rounds of the stepped
/// clock. Defaults follow the paper where it gives a value (k = ceil(sqrt N), c = 2 contacts per
/// foreign group, section 2) and are our choice otherwise (documented in docs/kelips.md).
/// </summary>
public sealed record KelipsOptions
{
    /// <summary>k, the number of affinity groups.</summary>
    public required int GroupCount { get; init; }

    /// <summary>c, the contacts kept per foreign affinity group (section 2: "a small constant").</summary>
    public int ContactsPerGroup { get; init; } = 2;

    /// <summary>Gossip targets per round (section 2.1: "a small constant number of peers").</summary>
    public int Fanout { get; init; } = 3;

    /// <summary>Probability that a target slot goes to a contact instead of a group member.</summary>
    public double ContactGossipProbability { get; init; } = 0.2;

    /// <summary>Caps that make every gossip message the same bounded size (section 2.1, "rations").</summary>
    public int MaxMembersPerMessage { get; init; } = 8;

    public int MaxContactsPerMessage { get; init; } = 4;

    public int MaxFileTuplesPerMessage { get; init; } = 8;

    /// <summary>An entry is gossiped first while it is this many rounds old (new news travels fast).</summary>
    public int HotRounds { get; init; } = 6;

    /// <summary>A view member whose heartbeat has not grown for this many rounds is dropped.</summary>
    public long MemberTimeoutRounds { get; init; } = 40;

    /// <summary>
    /// Contacts are refreshed across groups, more slowly, so they get a longer timeout; it grows with
    /// k and c (<see cref="GrownContactTimeout"/>).
    /// </summary>
    public long ContactTimeoutRounds { get; init; } = 80;

    /// <summary>
    /// How long a timed-out or unreachable peer's last heartbeat is remembered so that stale copies
    /// cannot resurrect it. Must exceed the contact timeout: other groups keep the dead peer as a
    /// contact that long and gossip it back into its group.
    /// </summary>
    public long ForgetRemovedAfterRounds { get; init; } = 200;

    /// <summary>Filetuples (and tombstones, which are then forgotten) expire after this many rounds.</summary>
    public long FileTupleTimeoutRounds { get; init; } = 200;

    /// <summary>
    /// Group mates that must answer with their contacts before a lookup whose own contacts all
    /// failed gives up (section 2.2: ask a group mate for a contact). The default asks every mate in
    /// the view, nearest first, until one of their contacts answers: under churn the nearest mates'
    /// contacts are often as dead as ours, and a lookup stops at the first answer anyway.
    /// </summary>
    public int MaxFallbackMembers { get; init; } = int.MaxValue;

    /// <summary>
    /// Bootstraps a join may go through before the newcomer meets its group (section 2: a new node
    /// learns its view from a live member): the first peer asked, then its nearest contacts.
    /// </summary>
    public int JoinAttempts { get; init; } = 8;

    /// <summary>
    /// A contact whose heartbeat has not grown for more than this many rounds is suspect: a
    /// candidate of its group refreshed more recently replaces it even when farther (section 2.1:
    /// contacts are soft state kept fresh by heartbeats; docs/kelips.md, "Suspect contacts").
    /// <see cref="long.MaxValue"/> (the default) keeps the c lowest-RTT contacts offered, as the paper's
    /// topologically aware choice does; under heavy churn, liveness matters more than proximity.
    /// </summary>
    public long ContactSuspectRounds { get; init; } = long.MaxValue;

    /// <summary>Exponent of the RTT weighting of gossip targets: weight = 1 / rtt^exponent.</summary>
    public double RttWeightExponent { get; init; } = 1.0;

    /// <summary>Largest possible gossip message in bytes under <see cref="KelipsSizeModel"/>.</summary>
    public int MaxMessageBytes =>
        KelipsSizeModel.MessageBytes(MaxMembersPerMessage, MaxContactsPerMessage, MaxFileTuplesPerMessage);

    /// <summary>Defaults for an expected population: k = ceil(sqrt(n)) (section 2).</summary>
    public static KelipsOptions ForExpectedPeers(int expectedPeers)
    {
        var k = AffinityGroups.DefaultGroupCount(expectedPeers);
        return new() { GroupCount = k, ContactTimeoutRounds = GrownContactTimeout(k) };
    }

    /// <summary>
    /// A contact timeout that grows with the contacts a peer keeps (docs/kelips.md, "Timeouts"): a
    /// peer spends Fanout * p gossip slots per round on its c(k-1) contacts, so a given contact hears
    /// from it directly about every c(k-1) / (Fanout * p) rounds, and the copies its group mates pass
    /// on are no fresher than theirs. Contact ages with no failure grow with k (measured p99 71 / 129 /
    /// 146 rounds at k = 17 / 50 / 100), and a fixed 80-round timeout dropped live contacts once k
    /// passed about 50: lookups then went through a group mate or failed. The timeout is that
    /// interval, and never under 80 rounds (so it is 80 for k up to 25 with the defaults).
    /// </summary>
    public static long GrownContactTimeout(int groupCount, int contactsPerGroup = 2, int fanout = 3, double contactGossipProbability = 0.2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(groupCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(contactsPerGroup, 1);
        var perRound = Math.Max(1e-6, Math.Max(1, fanout) * contactGossipProbability);
        return Math.Max(80, (long)Math.Ceiling((long)contactsPerGroup * (groupCount - 1) / perRound));
    }

    /// <summary>
    /// A filetuple timeout that grows with the files per group (docs/kelips.md): a tuple is
    /// refreshed when some member round-robins it, and one member's cycle over the F/k tuples of
    /// its group takes F/k / MaxFileTuplesPerMessage rounds; a home node reaches each of the h
    /// groups it hosts files of only through contact slots, about every h / (Fanout * p / 2)
    /// rounds. The timeout is four times the sum, and never under 200 rounds.
    /// </summary>
    public static long GrownFileTupleTimeout(int groupCount, long expectedPeers, long expectedFiles, int fanout = 3, double contactGossipProbability = 0.2, int maxFileTuplesPerMessage = 8)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(groupCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(expectedPeers, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedFiles);
        var perGroup = (expectedFiles + groupCount - 1) / groupCount;
        var cycle = (perGroup + Math.Max(1, maxFileTuplesPerMessage) - 1) / Math.Max(1, maxFileTuplesPerMessage);
        var filesPerPeer = (expectedFiles + expectedPeers - 1) / expectedPeers;
        var hostedGroups = Math.Min(filesPerPeer, groupCount);
        var perSlot = Math.Max(1e-6, fanout * contactGossipProbability / 2);
        var homeInterval = (long)Math.Ceiling(hostedGroups / perSlot);
        return Math.Max(200, 4 * (cycle + homeInterval));
    }

    /// <summary>Throws on a parameter outside its domain, naming it.</summary>
    public KelipsOptions Validate()
    {
        Require(GroupCount >= 1, nameof(GroupCount), "must be at least 1");
        Require(ContactsPerGroup >= 1, nameof(ContactsPerGroup), "must be at least 1");
        Require(Fanout >= 1, nameof(Fanout), "must be at least 1");
        Require(ContactGossipProbability is >= 0 and <= 1, nameof(ContactGossipProbability), "must be in [0, 1]");
        Require(MaxMembersPerMessage >= 1, nameof(MaxMembersPerMessage), "must be at least 1 (the sender's own heartbeat)");
        Require(MaxContactsPerMessage >= 0, nameof(MaxContactsPerMessage), "must not be negative");
        Require(MaxFileTuplesPerMessage >= 0, nameof(MaxFileTuplesPerMessage), "must not be negative");
        Require(HotRounds >= 0, nameof(HotRounds), "must not be negative");
        Require(MemberTimeoutRounds >= 1, nameof(MemberTimeoutRounds), "must be at least 1");
        Require(ContactTimeoutRounds >= 1, nameof(ContactTimeoutRounds), "must be at least 1");
        Require(ForgetRemovedAfterRounds >= ContactTimeoutRounds && ForgetRemovedAfterRounds >= MemberTimeoutRounds, nameof(ForgetRemovedAfterRounds), "must be at least the member and contact timeouts");
        Require(FileTupleTimeoutRounds >= 1, nameof(FileTupleTimeoutRounds), "must be at least 1");
        Require(ContactSuspectRounds >= 1, nameof(ContactSuspectRounds), "must be at least 1");
        Require(JoinAttempts >= 1, nameof(JoinAttempts), "must be at least 1");
        Require(MaxFallbackMembers >= 0, nameof(MaxFallbackMembers), "must not be negative");
        Require(RttWeightExponent >= 0, nameof(RttWeightExponent), "must not be negative");
        return this;
    }

    private static void Require(bool ok, string name, string message)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(name, $"Kelips {name} {message}");
        }
    }
}
