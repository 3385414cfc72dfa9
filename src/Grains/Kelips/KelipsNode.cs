using P2POrleans.Common;
using P2POrleans.Kelips.Replication;

namespace P2POrleans.Kelips;

/// <summary>
/// One Kelips peer while it is a member, with no Orleans types (docs/architecture.md, peer grains):
/// its soft state (<see cref="KelipsSoftState"/>: affinity group view, contacts, filetuples, hosted
/// files, section 2.1), the contents of the files it is home node for, the backups it holds and owes,
/// its clock and its traffic counters. <c>KelipsPeerGrain</c> holds one and sends the messages that
/// <see cref="KelipsLookup"/> and <see cref="KelipsMaintenance"/> decide.
/// </summary>
public sealed class KelipsNode : IPeerNode
{
    public KelipsNode(KelipsParameters parameters, NodeId self, string address, long round)
    {
        Parameters = parameters;
        Self = self;
        Address = address;
        Network = new NetworkModel(parameters.Seed);
        Round = round;
        State = new KelipsSoftState(self, parameters.ToOptions(), Network.Rtt, SeededRandom.Create(parameters.Seed ^ (long)SeededRandom.Mix(self.Low64), "kelips-gossip:" + self.ToHex()), round);
        Backups = new KelipsBackups(self, parameters.Replicas, parameters.SpreadReplicas);
    }

    public KelipsParameters Parameters { get; }

    public NodeId Self { get; }

    public string Address { get; }

    public NetworkModel Network { get; }

    public KelipsSoftState State { get; }

    /// <summary>Backup copies held for group mates, and the holders of this peer's own files (docs/durability.md, Replicas &gt; 1).</summary>
    public KelipsBackups Backups { get; }

    /// <summary>
    /// Bumped by every change a restarted durable peer could not get back from gossip (join, hosted
    /// files or contents, backups held or pushed): the grain writes when it differs from the last write.
    /// </summary>
    public long DurableVersion { get; set; }

    /// <summary>A restored peer's record round, until its first round resumes it (heartbeats jump; see <see cref="KelipsSoftState.Resume"/>).</summary>
    public long? ResumeFromRound { get; set; }

    /// <summary>When the restored record was written (Unix ms), for a live clock's missed periods.</summary>
    public long ResumeFromUnixMs { get; set; }

    /// <summary>Contents of the files stored here (this peer is their home node).</summary>
    public Dictionary<string, string> Contents { get; } = new(StringComparer.Ordinal);

    /// <summary>The peer's clock: the registry's round when stepped, its own count of periods when live.</summary>
    public long Round { get; set; }

    public long Rounds { get; set; }

    public long GossipMessages { get; set; }

    public long GossipBytes { get; set; }

    public int LastRoundMessages { get; set; }

    public int LastRoundBytes { get; set; }

    public long LookupMessages { get; set; }

    /// <summary>Filetuples sent to a contact on insert, delete or adoption (outside the rounds' gossip).</summary>
    public long PublishMessages { get; set; }

    /// <summary>Backup copies pushed or dropped (docs/durability.md, outside the rounds' gossip).</summary>
    public long BackupMessages { get; set; }

    OverlayParameters IPeerNode.Parameters => Parameters;

    /// <summary>Lookup messages are counted here; gossip, publish and backup messages by their senders, apart (the paper's per-round figures).</summary>
    public void CountMessage(string kind)
    {
        if (kind == P2PTelemetry.LookupKind)
        {
            LookupMessages++;
        }
    }

    /// <summary>A peer that did not answer leaves the view and the contacts (gossip brings it back if it is alive).</summary>
    public void Forget(NodeId peer) => State.ReportUnreachable(peer, Round);

    public KelipsPeerCounters Counters()
    {
        var view = State.View.Count;
        var contacts = State.Contacts.Count;
        var tuples = State.FileTuples.Count;
        return new KelipsPeerCounters(view, contacts, tuples,
            KelipsSizeModel.StateBytes(view, 0, 0), KelipsSizeModel.StateBytes(0, contacts, 0), KelipsSizeModel.StateBytes(0, 0, tuples),
            Rounds, GossipMessages, GossipBytes, LastRoundMessages, LastRoundBytes, LookupMessages);
    }

    public KelipsPeerRecord ToRecord(long savedAtUnixMs = 0)
    {
        // One snapshot for the tuples and their ages: the record keeps them as two lists in one order.
        var tuples = State.FileTuples.AgedSnapshot(Round);
        return new KelipsPeerRecord
        {
            Member = true,
            Parameters = Parameters,
            Address = Address,
            Round = Round,
            OwnHeartbeat = State.View.OwnHeartbeat,
            Hosted = [.. State.HostedEntries().Select(h => new KelipsHostedRecord(h.Tuple, h.PublishedRound, Contents.GetValueOrDefault(h.Tuple.FileName)))],
            Backups = [.. Backups.Held.OrderBy(h => h.Copy.FileName, StringComparer.Ordinal)],
            Pushed = Backups.Pushed.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
            Silos = Backups.Silos.ToDictionary(s => s.Key, s => s.Value),
            // Ages relative to Round, the record's round: restored at that round, they stay meaningful.
            View = [.. State.View.Snapshot(Round).Where(e => e.Id != Self)],
            Contacts = [.. State.Contacts.All.Select(c => c.ToMemberEntry(Round))],
            FileTuples = [.. tuples.Select(t => t.Tuple)],
            FileTupleAges = [.. tuples.Select(t => t.Age)],
            Rounds = Rounds,
            GossipMessages = GossipMessages,
            GossipBytes = GossipBytes,
            LookupMessages = LookupMessages,
            PublishMessages = PublishMessages,
            BackupMessages = BackupMessages,
            SavedAtUnixMs = savedAtUnixMs,
        };
    }

    /// <summary>A durable peer as its record left it; its first round resumes it (<see cref="ResumeFromRound"/>).</summary>
    public static KelipsNode FromRecord(NodeId self, KelipsPeerRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var node = new KelipsNode(record.Parameters!, self, record.Address, record.Round)
        {
            Rounds = record.Rounds,
            GossipMessages = record.GossipMessages,
            GossipBytes = record.GossipBytes,
            LookupMessages = record.LookupMessages,
            PublishMessages = record.PublishMessages,
            BackupMessages = record.BackupMessages,
            ResumeFromRound = record.Round,
            ResumeFromUnixMs = record.SavedAtUnixMs,
        };
        node.State.Restore(record.OwnHeartbeat, record.Hosted.Select(h => (h.Tuple, h.PublishedRound)), record.View, record.Contacts, record.FileTuples.Select((t, i) => (t, i < record.FileTupleAges.Count ? record.FileTupleAges[i] : 0L)), record.Round);
        foreach (var hosted in record.Hosted.Where(h => h.Content is not null))
        {
            node.Contents[hosted.Tuple.FileName] = hosted.Content!;
        }

        foreach (var held in record.Backups)
        {
            node.Backups.Restore(held);
        }

        foreach (var (name, targets) in record.Pushed)
        {
            node.Backups.MarkPushed(name, targets);
        }

        foreach (var (peer, silo) in record.Silos)
        {
            node.Backups.LearnSilo(peer, silo);
        }

        return node;
    }

    public KelipsPeerState Snapshot(string? silo = null)
    {
        var groups = State.Groups;
        return new KelipsPeerState(
            Self,
            Address,
            State.Group,
            Round,
            [.. State.View.Entries.OrderBy(e => e.RttMs).ThenBy(e => e.Id).Select(e => new KelipsEntryInfo(e.Id, State.Group, e.Heartbeat, e.RttMs, e.LastRefreshRound))],
            [.. State.Contacts.All.Select(c => new KelipsEntryInfo(c.Id, c.Group, c.Heartbeat, c.RttMs, c.LastRefreshRound))],
            State.FileTuples.Snapshot(),
            [.. State.HostedFiles.Where(t => !t.Deleted).Select(t => t.FileName).Order(StringComparer.Ordinal)],
            Counters(),
            silo,
            [.. Backups.Held.Select(h => h.Copy.FileName).Order(StringComparer.Ordinal)]);
    }
}
