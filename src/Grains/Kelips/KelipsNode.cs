using P2POrleans.Common;

namespace P2POrleans.Kelips;

/// <summary>
/// What a Kelips peer grain holds while it is a member: the pure <see cref="KelipsPeer"/>, the
/// contents of the files it is home node for, its clock and its traffic counters.
/// </summary>
internal sealed class KelipsNode
{
    public KelipsNode(KelipsParameters parameters, NodeId self, string address, long round)
    {
        Parameters = parameters;
        Self = self;
        Address = address;
        Network = new NetworkModel(parameters.Seed);
        Round = round;
        Peer = new KelipsPeer(self, parameters.ToOptions(), Network.Rtt, SeededRandom.Create(parameters.Seed ^ (long)SeededRandom.Mix(self.Low64), "kelips-gossip:" + self.ToHex()), round);
    }

    public KelipsParameters Parameters { get; }

    public NodeId Self { get; }

    public string Address { get; }

    public NetworkModel Network { get; }

    public KelipsPeer Peer { get; }

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

    public KelipsPeerCounters Counters()
    {
        var view = Peer.View.Count;
        var contacts = Peer.Contacts.Count;
        var tuples = Peer.FileTuples.Count;
        return new KelipsPeerCounters(view, contacts, tuples,
            KelipsSizeModel.StateBytes(view, 0, 0), KelipsSizeModel.StateBytes(0, contacts, 0), KelipsSizeModel.StateBytes(0, 0, tuples),
            Rounds, GossipMessages, GossipBytes, LastRoundMessages, LastRoundBytes, LookupMessages);
    }

    public KelipsPeerState Snapshot()
    {
        var groups = Peer.Groups;
        return new KelipsPeerState(
            Self,
            Address,
            Peer.Group,
            Round,
            [.. Peer.View.Entries.OrderBy(e => e.RttMs).ThenBy(e => e.Id).Select(e => new KelipsEntryInfo(e.Id, Peer.Group, e.Heartbeat, e.RttMs, e.LastRefreshRound))],
            [.. Peer.Contacts.All.Select(c => new KelipsEntryInfo(c.Id, c.Group, c.Heartbeat, c.RttMs, c.LastRefreshRound))],
            Peer.FileTuples.Snapshot(),
            [.. Peer.HostedFiles.Where(t => !t.Deleted).Select(t => t.FileName).Order(StringComparer.Ordinal)],
            Counters());
    }
}
