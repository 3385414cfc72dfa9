using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Orleans.Serialization;
using P2POrleans.Common;
using P2POrleans.Kelips;
using P2POrleans.Kelips.SoftState;

namespace P2POrleans.Tests.Kelips;

/// <summary>The durable record of a Kelips peer: ToRecord then FromRecord gives the same peer, and a restored peer's heartbeats win.</summary>
public sealed class KelipsPeerRecordTests
{
    /// <summary>A peer's history: files inserted (some deleted), peers heard of, backups held, rounds ticked.</summary>
    public sealed record History(int Files, int Deleted, ulong[] Peers, int Backups, int Rounds, int Replicas);

    public static Arbitrary<History> Histories() =>
        (from files in Gen.Choose(0, 12)
         from deleted in Gen.Choose(0, files)
         from peers in Gen.ArrayOf(Gen.Choose(2, 5000).Select(i => (ulong)i), 0)
         from count in Gen.Choose(0, 30)
         from more in Gen.ArrayOf(Gen.Choose(2, 5000).Select(i => (ulong)i), count)
         from backups in Gen.Choose(0, 6)
         from rounds in Gen.Choose(0, 8)
         from replicas in Gen.Choose(1, 3)
         select new History(files, deleted, [.. peers.Concat(more).Distinct()], backups, rounds, replicas)).ToArbitrary();

    private static KelipsNode Build(History h)
    {
        var parameters = new KelipsParameters { ExpectedPeers = 100, Bits = 32, Durable = true, Replicas = h.Replicas, SpreadReplicas = true, Seed = 3 };
        var self = NodeId.FromUInt64(1);
        var node = new KelipsNode(parameters, self, "host-1", 0);
        foreach (var p in h.Peers)
        {
            node.State.Learn(new MemberEntry(NodeId.FromUInt64(p), (long)(p % 17)), 0);
        }

        for (var i = 0; i < h.Files; i++)
        {
            node.Contents[$"f{i}"] = $"content {i}";
            node.State.Insert($"f{i}", 0);
        }

        for (var i = 0; i < h.Deleted; i++)
        {
            node.Contents.Remove($"f{i}");
            node.State.Delete($"f{i}", 0);
        }

        for (var i = 0; i < h.Backups; i++)
        {
            node.Backups.Store(new BackupCopy($"b{i}", $"backup {i}", i, [NodeId.FromUInt64(900 + (ulong)i), self]), i);
            node.Backups.MarkPushed($"f{i}", [NodeId.FromUInt64(700 + (ulong)i)]);
            node.Backups.LearnSilo(NodeId.FromUInt64(700 + (ulong)i), $"silo{i % 3}");
        }

        for (var r = 1; r <= h.Rounds; r++)
        {
            node.Round = r;
            node.Rounds++;
            node.State.Tick(r);
        }

        node.GossipMessages = 11;
        node.LookupMessages = 7;
        node.BackupMessages = h.Backups;
        return node;
    }

    /// <summary>Everything a record holds, as comparable text (arrays compare by content).</summary>
    private static string Describe(KelipsPeerRecord r) => string.Join("\n",
        [
            $"{r.Member} {r.Parameters} {r.Address} {r.Round} {r.OwnHeartbeat}",
            .. r.Hosted.Select(x => $"hosted {x.Tuple} {x.PublishedRound} {x.Content}"),
            .. r.Backups.Select(x => $"held {x.Copy.FileName} {x.Copy.Content} {x.Copy.Heartbeat} {string.Join(",", x.Copy.Holders)} {x.ReceivedRound}"),
            .. r.Pushed.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"pushed {p.Key} {string.Join(",", p.Value)}"),
            .. r.Silos.OrderBy(s => s.Key).Select(s => $"silo {s.Key} {s.Value}"),
            .. r.View.OrderBy(e => e.Id).Select(e => $"view {e}"),
            .. r.Contacts.OrderBy(e => e.Id).Select(e => $"contact {e}"),
            .. r.FileTuples.Select((t, i) => $"tuple {t} age {r.FileTupleAges[i]}"),
            $"{r.Rounds} {r.GossipMessages} {r.GossipBytes} {r.LookupMessages} {r.PublishMessages} {r.BackupMessages} {r.SavedAtUnixMs}",
        ]);

    [Property(Arbitrary = [typeof(KelipsPeerRecordTests)], MaxTest = 200)]
    public bool A_restored_peer_writes_the_record_it_was_restored_from(History h)
    {
        var record = Build(h).ToRecord(12345);
        var restored = KelipsNode.FromRecord(NodeId.FromUInt64(1), record);
        return Describe(restored.ToRecord(12345)) == Describe(record)
            && restored.ResumeFromRound == record.Round
            && restored.Contents.Count == h.Files - h.Deleted;
    }

    [Fact]
    public void The_record_survives_the_orleans_serializer_used_for_storage()
    {
        // PersistedRecord stores the Orleans encoding of the record (StoredBlob), whatever the provider.
        var serializer = TestSerializer.Instance;
        var record = Build(new History(6, 2, [5, 9, 77, 1234, 4321], 3, 4, 3)).ToRecord(99);
        var copy = serializer.Deserialize<KelipsPeerRecord>(serializer.SerializeToArray(record))!;
        Assert.Equal(Describe(record), Describe(copy));
        Assert.Equal(Describe(record), Describe(KelipsNode.FromRecord(NodeId.FromUInt64(1), copy).ToRecord(99)));
    }

    [Property(Arbitrary = [typeof(KelipsPeerRecordTests)], MaxTest = 200)]
    public bool After_resuming_its_heartbeats_beat_what_it_could_have_reached_while_away(History h, NonNegativeInt away)
    {
        var node = Build(h);
        var record = node.ToRecord();

        // What the peer had gossiped had it stayed alive `away` more rounds (what mates may hold).
        for (var r = 1; r <= away.Get; r++)
        {
            node.State.Tick(h.Rounds + r);
        }

        var restored = KelipsNode.FromRecord(NodeId.FromUInt64(1), record);
        restored.Round = h.Rounds + away.Get;
        restored.State.Resume(away.Get, restored.Round);
        var hosted = node.State.HostedFiles.Where(t => !t.Deleted).ToDictionary(t => t.FileName);
        return restored.State.View.OwnHeartbeat > node.State.View.OwnHeartbeat
            && restored.State.HostedFiles.Where(t => !t.Deleted).All(t => KelipsMerge.Supersedes(t, hosted[t.FileName]));
    }
}
