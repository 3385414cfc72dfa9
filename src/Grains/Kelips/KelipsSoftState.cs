using P2POrleans.Common;
using P2POrleans.Kelips.Gossip;
using P2POrleans.Kelips.Lookups;
using P2POrleans.Kelips.SoftState;

namespace P2POrleans.Kelips;

/// <summary>
/// The soft state of one Kelips peer (section 2.1) and its per-round behaviour, with no Orleans
/// types: its <see cref="KelipsNode"/> holds one, turns messages into calls on it and has the grain send
/// the <see cref="GossipSend"/>s it returns. Deterministic for a given seed: time is the round number, randomness the injected
/// <see cref="Random"/>, distance the injected RTT function (ms).
/// </summary>
public sealed class KelipsSoftState
{
    // Files this peer is home node for (docs/kelips.md: a file is stored where it was uploaded). A deleted
    // file stays here as a tombstone for three filetuple timeouts: one to spread and time out, two
    // that members remember it (FileTuples death records), so a re-insert continues above its
    // heartbeat and is not refused as older than the delete.
    private readonly Dictionary<string, (FileTuple Tuple, int Group, long PublishedRound)> _hosted = new(StringComparer.Ordinal);
    private readonly GossipBuilder _gossip;

    public KelipsSoftState(NodeId self, KelipsOptions options, Func<NodeId, NodeId, double> rtt, Random random, long round = 0)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rtt);
        ArgumentNullException.ThrowIfNull(random);
        Options = options.Validate();
        Self = self;
        Groups = new AffinityGroups(options.GroupCount);
        Group = Groups.Of(self);
        View = new AffinityGroupView(self, Groups, rtt, round);
        Contacts = new Contacts(self, Groups, options.ContactsPerGroup, rtt);
        FileTuples = new FileTuples(Group, Groups);
        _gossip = new GossipBuilder(options, random);
    }

    public NodeId Self { get; }

    public int Group { get; }

    public KelipsOptions Options { get; }

    public AffinityGroups Groups { get; }

    public AffinityGroupView View { get; }

    public Contacts Contacts { get; }

    public FileTuples FileTuples { get; }

    /// <summary>The current tuples of the files this peer is home node for (tombstones included).</summary>
    public IReadOnlyCollection<FileTuple> HostedFiles => [.. _hosted.Values.Select(h => h.Tuple)];

    /// <summary>The affinity groups of the files this peer is home node for.</summary>
    public IEnumerable<int> HostedGroups() => _hosted.Values.Select(h => h.Group).Distinct();

    /// <summary>The hosted tuples (tombstones included) of files of one group.</summary>
    public IEnumerable<FileTuple> HostedFilesIn(int group) => _hosted.Values.Where(h => h.Group == group).Select(h => h.Tuple);

    /// <summary>The hosted tuples (tombstones included) with the round each was published (a durable record, docs/durability.md).</summary>
    public IReadOnlyList<(FileTuple Tuple, long PublishedRound)> HostedEntries() =>
        [.. _hosted.Values.OrderBy(h => h.Tuple.FileName, StringComparer.Ordinal).Select(h => (h.Tuple, h.PublishedRound))];

    /// <summary>
    /// Restores a durable peer (docs/durability.md) from its record: own heartbeat, hosted tuples, and the view,
    /// contacts and filetuples it last saved (a head start; gossip refreshes them), each with the age
    /// it had at the write.
    /// </summary>
    public void Restore(long ownHeartbeat, IEnumerable<(FileTuple Tuple, long PublishedRound)> hosted, IEnumerable<MemberEntry> view, IEnumerable<MemberEntry> contacts, IEnumerable<(FileTuple Tuple, long Age)> tuples, long round)
    {
        View.Resume(ownHeartbeat, round);
        foreach (var (tuple, published) in hosted)
        {
            _hosted[tuple.FileName] = (tuple, Groups.OfFile(tuple.FileName), published);
        }

        foreach (var entry in view.Concat(contacts))
        {
            Learn(entry, round);
        }

        foreach (var (tuple, age) in tuples)
        {
            FileTuples.Restore(tuple, round, age);
        }
    }

    /// <summary>
    /// The first round of a restored durable peer, <paramref name="elapsedRounds"/> after its record
    /// was written: while it was away its own heartbeat and its hosted tuples' heartbeats would have
    /// grown by one a round (section 2.1), so they jump by that much plus one and its
    /// re-announcements supersede whatever its group mates last saw (or remember of it as dead).
    /// </summary>
    public void Resume(long elapsedRounds, long round)
    {
        var jump = Math.Max(0, elapsedRounds) + 1;
        View.Resume(View.OwnHeartbeat + jump, round, elapsedRounds);
        Contacts.Resume(round, elapsedRounds);
        FileTuples.Resume(round, elapsedRounds);
        foreach (var (name, hosted) in _hosted.ToList())
        {
            var tuple = hosted.Tuple with { Heartbeat = hosted.Tuple.Heartbeat + jump };
            _hosted[name] = hosted with { Tuple = tuple };
            FileTuples.Merge(tuple, round);
        }
    }

    public bool Hosts(string fileName) => _hosted.TryGetValue(fileName, out var h) && !h.Tuple.Deleted;

    /// <summary>The peer's soft state in bytes under <see cref="KelipsSizeModel"/>.</summary>
    public long StateBytes => KelipsSizeModel.StateBytes(View.Count, Contacts.Count, FileTuples.Count);

    /// <summary>
    /// Periodic work of a round before gossiping (section 2.1): bump the own heartbeat, bump the
    /// heartbeat of the filetuples this peer is home node for, and drop timed-out entries.
    /// </summary>
    public void Tick(long round)
    {
        View.Heartbeat(round);
        foreach (var (name, hosted) in _hosted.ToList())
        {
            if (hosted.Tuple.Deleted)
            {
                if (round - hosted.PublishedRound > 3 * Options.FileTupleTimeoutRounds)
                {
                    _hosted.Remove(name);
                }

                continue;
            }

            var bumped = hosted.Tuple with { Heartbeat = hosted.Tuple.Heartbeat + 1 };
            _hosted[name] = hosted with { Tuple = bumped };
            FileTuples.Merge(bumped, round);
        }

        View.Expire(round, Options.MemberTimeoutRounds, Options.ForgetRemovedAfterRounds);
        Contacts.Expire(round, Options.ContactTimeoutRounds, Options.ForgetRemovedAfterRounds);
        FileTuples.Expire(round, Options.FileTupleTimeoutRounds);
    }

    /// <summary>This round's gossip (see <see cref="GossipBuilder"/>).</summary>
    public IReadOnlyList<GossipSend> BuildGossip(long round) => _gossip.Build(this, round);

    /// <summary>A whole round: <see cref="Tick"/> then <see cref="BuildGossip"/>.</summary>
    public IReadOnlyList<GossipSend> Step(long round)
    {
        Tick(round);
        return BuildGossip(round);
    }

    /// <summary>Merges a gossip message: each entry goes to the view or the contacts by its group.</summary>
    public void Receive(GossipMessage message, long round)
    {
        ArgumentNullException.ThrowIfNull(message);
        foreach (var entry in message.Members)
        {
            Learn(entry, round);
        }

        foreach (var entry in message.Contacts)
        {
            Learn(entry, round);
        }

        foreach (var tuple in message.FileTuples)
        {
            FileTuples.Merge(tuple, round);
        }
    }

    /// <summary>
    /// Files a peer entry by group: the own group's view, or a contact candidate. An entry older than
    /// its timeout (by its gossiped age) is not taken.
    /// </summary>
    public bool Learn(MemberEntry entry, long round)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Groups.Of(entry.Id) == Group
            ? View.Merge(entry, round, Options.MemberTimeoutRounds)
            : Contacts.Offer(entry, round, Options.ContactTimeoutRounds, Options.ContactSuspectRounds);
    }

    /// <summary>
    /// Makes this peer the home node of a file (section 2: insert). A file of the own group enters
    /// the filetuples and spreads by gossip; otherwise the tuple is sent now to the nearest contact
    /// of the file's group (the returned send; none if no contact is known yet).
    /// </summary>
    /// <param name="afterHeartbeat">A heartbeat the new tuple must beat: a peer adopting the files of
    /// a leaving home node publishes above the old home's tuples, so its own win the merge.</param>
    public IReadOnlyList<GossipSend> Insert(string fileName, long round, long afterHeartbeat = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        var heartbeat = Math.Max(_hosted.TryGetValue(fileName, out var old) ? old.Tuple.Heartbeat + 1 : 1, afterHeartbeat + 1);
        return Publish(new FileTuple(fileName, Self, heartbeat), round);
    }

    /// <summary>
    /// Deletes a file this peer is home node for: a tombstone with a higher heartbeat spreads like
    /// an insert and wins over every older copy. Returns no send if the file is not hosted here.
    /// </summary>
    public IReadOnlyList<GossipSend> Delete(string fileName, long round)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        if (!Hosts(fileName))
        {
            return [];
        }

        var tuple = _hosted[fileName].Tuple;
        return Publish(tuple with { Heartbeat = tuple.Heartbeat + 1, Deleted = true }, round);
    }

    public LookupPlan PlanLookup(string fileName) => LookupPlanner.Plan(this, fileName);

    /// <summary>Answers a lookup as a member of the file's group: the live filetuple, or null.</summary>
    public FileTuple? AnswerLookup(string fileName) =>
        FileTuples.TryGetLive(fileName, out var tuple) ? tuple : null;

    /// <summary>
    /// Answers a group mate's fallback query (section 2.2): its contacts in <paramref name="group"/>,
    /// lowest RTT first; for the own group, the nearest members.
    /// </summary>
    public IReadOnlyList<NodeId> ContactsFor(int group) =>
        group == Group
            ? [.. View.OthersByRtt().Take(Options.ContactsPerGroup).Select(e => e.Id)]
            : [.. Contacts.InGroup(group).Select(c => c.Id)];

    /// <summary>A call to <paramref name="peer"/> failed (PeerUnreachable): drop it from view and contacts.</summary>
    public void ReportUnreachable(NodeId peer, long round)
    {
        View.Remove(peer, round);
        Contacts.Remove(peer, round);
    }

    /// <summary>
    /// The nearest contact to join through again when the view holds no group mate, else null.
    /// A peer whose join met nobody of its group is nobody's gossip target in it, and contacts
    /// only keep the closest candidates, so without this it could stay alone for ever (the paper
    /// leaves this case open; we repeat the join, section 2, through a contact).
    /// </summary>
    /// <param name="except">Peers already asked in this join, skipped.</param>
    public NodeId? RejoinTarget(IReadOnlySet<NodeId>? except = null) =>
        View.Count > 1 ? null : Contacts.All.Where(c => except is null || !except.Contains(c.Id)).OrderBy(c => c.RttMs).ThenBy(c => c.Id).Select(c => (NodeId?)c.Id).FirstOrDefault();

    /// <summary>Bootstrap side of a join: learn the newcomer and describe what it needs.</summary>
    public JoinSnapshot AcceptJoin(MemberEntry newcomer, long round) => KelipsJoin.CreateSnapshot(this, newcomer, round);

    /// <summary>Newcomer side of a join: adopt what the bootstrap returned.</summary>
    public void ApplyJoin(JoinSnapshot snapshot, long round) => KelipsJoin.Apply(this, snapshot, round);

    private IReadOnlyList<GossipSend> Publish(FileTuple tuple, long round)
    {
        var group = Groups.OfFile(tuple.FileName);
        _hosted[tuple.FileName] = (tuple, group, round);
        if (group == Group)
        {
            FileTuples.Merge(tuple, round);
            return [];
        }

        var contact = Contacts.InGroup(group).FirstOrDefault();
        if (contact is null)
        {
            return [];
        }

        var self = new MemberEntry(Self, View.OwnHeartbeat);
        return [new GossipSend(contact.Id, new GossipMessage(Self, round, [self], [], [tuple]), true)];
    }
}
