using P2POrleans.Common;
using P2POrleans.Kelips.Replication;

namespace P2POrleans.Kelips;

/// <summary>
/// What a durable Kelips peer persists (docs/durability.md): what a restarted peer cannot get back from gossip
/// (membership, parameters, address, its hosted files with contents and tuple heartbeats, the backup
/// copies it holds, counters), plus its view, contacts and filetuples as a head start. The soft
/// state rides along with the other writes but never causes one (see <c>KelipsPeerGrain.PersistAsync</c>).
/// Volatile peers never write it.
/// </summary>
[GenerateSerializer, Alias("p2p.kelips.KelipsPeerRecord")]
public sealed class KelipsPeerRecord
{
    [Id(0)] public bool Member { get; set; }

    [Id(1)] public KelipsParameters? Parameters { get; set; }

    [Id(2)] public string Address { get; set; } = "";

    /// <summary>The peer's round when the record was written.</summary>
    [Id(3)] public long Round { get; set; }

    [Id(4)] public long OwnHeartbeat { get; set; }

    [Id(5)] public List<KelipsHostedRecord> Hosted { get; set; } = [];

    [Id(6)] public List<HeldBackup> Backups { get; set; } = [];

    /// <summary>Holders each hosted file was last pushed to, and the silos learnt from their replies.</summary>
    [Id(7)] public Dictionary<string, NodeId[]> Pushed { get; set; } = [];

    [Id(8)] public Dictionary<NodeId, string> Silos { get; set; } = [];

    [Id(9)] public List<MemberEntry> View { get; set; } = [];

    [Id(10)] public List<MemberEntry> Contacts { get; set; } = [];

    [Id(11)] public List<FileTuple> FileTuples { get; set; } = [];

    [Id(12)] public long Rounds { get; set; }

    [Id(13)] public long GossipMessages { get; set; }

    [Id(14)] public long GossipBytes { get; set; }

    [Id(15)] public long LookupMessages { get; set; }

    [Id(16)] public long PublishMessages { get; set; }

    [Id(17)] public long BackupMessages { get; set; }

    /// <summary>Wall-clock time of the write (Unix ms): a live-clock peer counts the periods it missed from it.</summary>
    [Id(18)] public long SavedAtUnixMs { get; set; }

    /// <summary>
    /// Rounds since each of <see cref="FileTuples"/> (same order) was last refreshed, at <see cref="Round"/>.
    /// A record written before this field has none: its tuples count as refreshed at the write.
    /// </summary>
    [Id(19)] public List<long> FileTupleAges { get; set; } = [];
}
