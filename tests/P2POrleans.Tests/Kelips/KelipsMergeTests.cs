using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using P2POrleans.Common;
using P2POrleans.Kelips;
using P2POrleans.Kelips.SoftState;

namespace P2POrleans.Tests.Kelips;

/// <summary>
/// Gossip merge (Kelips section 2.1) is a maximum under a total order: the state a peer ends in
/// does not depend on the order, grouping or repetition of the gossip it received.
/// </summary>
public sealed class KelipsMergeTests
{
    // One affinity group, so every generated peer and file belongs to the store under test.
    private static readonly AffinityGroups OneGroup = new(1);
    private static readonly NodeId Self = NodeId.FromUInt64(1_000_000);

    public static Arbitrary<(MemberEntry[] A, MemberEntry[] B, MemberEntry[] C)> MemberBatches() =>
        (from a in MemberBatch()
         from b in MemberBatch()
         from c in MemberBatch()
         select (a, b, c)).ToArbitrary();

    public static Arbitrary<(FileTuple[] A, FileTuple[] B, FileTuple[] C)> TupleBatches() =>
        (from a in TupleBatch()
         from b in TupleBatch()
         from c in TupleBatch()
         select (a, b, c)).ToArbitrary();

    private static Gen<MemberEntry[]> MemberBatch() =>
        Gen.ArrayOf(
            from id in Gen.Choose(1, 12)
            from hb in Gen.Choose(0, 20)
            select new MemberEntry(NodeId.FromUInt64((ulong)id), hb));

    private static Gen<FileTuple[]> TupleBatch() =>
        Gen.ArrayOf(
            from name in Gen.Elements("a.mp3", "b.mp3", "c.txt", "d.iso", "e.avi")
            from home in Gen.Choose(1, 3)
            from hb in Gen.Choose(0, 6)
            from deleted in Gen.Elements(false, false, true)
            select new FileTuple(name, NodeId.FromUInt64((ulong)home), hb, deleted));

    private static AffinityGroupView View(params MemberEntry[][] batches)
    {
        var view = new AffinityGroupView(Self, OneGroup, (_, _) => 1.0);
        foreach (var batch in batches)
        {
            foreach (var e in batch)
            {
                view.Merge(e, 1);
            }
        }

        return view;
    }

    private static FileTuples Tuples(params FileTuple[][] batches)
    {
        var store = new FileTuples(0, OneGroup);
        foreach (var batch in batches)
        {
            foreach (var t in batch)
            {
                store.Merge(t, 1);
            }
        }

        return store;
    }

    [Property(Arbitrary = [typeof(KelipsMergeTests)], MaxTest = 300)]
    public bool View_merge_is_commutative((MemberEntry[] A, MemberEntry[] B, MemberEntry[] C) p) =>
        View(p.A, p.B).Snapshot(1).SequenceEqual(View(p.B, p.A).Snapshot(1))
        && View(p.A).Snapshot(1).SequenceEqual(View([.. p.A.Reverse()]).Snapshot(1));

    [Property(Arbitrary = [typeof(KelipsMergeTests)], MaxTest = 300)]
    public bool View_merge_is_associative((MemberEntry[] A, MemberEntry[] B, MemberEntry[] C) p)
    {
        var left = View(View(p.A, p.B).Snapshot(1), p.C);
        var right = View(p.A, View(p.B, p.C).Snapshot(1));
        return left.Snapshot(1).SequenceEqual(right.Snapshot(1));
    }

    [Property(Arbitrary = [typeof(KelipsMergeTests)], MaxTest = 300)]
    public bool View_merge_is_idempotent((MemberEntry[] A, MemberEntry[] B, MemberEntry[] C) p)
    {
        var once = View(p.A);
        var snapshot = once.Snapshot(1);
        var changed = snapshot.Any(e => once.Merge(e, 2));
        return !changed
            && once.Snapshot(1).SequenceEqual(snapshot)
            && View(p.A, p.A).Snapshot(1).SequenceEqual(snapshot);
    }

    [Property(Arbitrary = [typeof(KelipsMergeTests)], MaxTest = 300)]
    public bool View_merge_keeps_the_highest_heartbeat((MemberEntry[] A, MemberEntry[] B, MemberEntry[] C) p)
    {
        var all = p.A.Concat(p.B).Concat(p.C).ToArray();
        var view = View(all);
        var expected = all.GroupBy(e => e.Id).ToDictionary(g => g.Key, g => g.Max(e => e.Heartbeat));
        return view.Count == expected.Count + 1
            && expected.All(kv => view.TryGet(kv.Key, out var e) && e.Heartbeat == kv.Value);
    }

    [Property(Arbitrary = [typeof(KelipsMergeTests)], MaxTest = 300)]
    public bool Filetuple_merge_is_commutative_associative_and_idempotent((FileTuple[] A, FileTuple[] B, FileTuple[] C) p) =>
        Tuples(p.A, p.B).Snapshot().SequenceEqual(Tuples(p.B, p.A).Snapshot())
        && Tuples(Tuples(p.A, p.B).Snapshot(), p.C).Snapshot().SequenceEqual(Tuples(p.A, Tuples(p.B, p.C).Snapshot()).Snapshot())
        && Tuples(p.A, p.A).Snapshot().SequenceEqual(Tuples(p.A).Snapshot());

    [Property(Arbitrary = [typeof(KelipsMergeTests)], MaxTest = 300)]
    public bool Filetuple_merge_keeps_the_highest_heartbeat_and_delete_wins_ties((FileTuple[] A, FileTuple[] B, FileTuple[] C) p)
    {
        var all = p.A.Concat(p.B).Concat(p.C).ToArray();
        var store = Tuples(all);
        foreach (var byName in all.GroupBy(t => t.FileName))
        {
            var top = byName.Max(t => t.Heartbeat);
            var stored = store.Get(byName.Key)?.Tuple;
            var tombstoneOnTop = byName.Any(t => t.Heartbeat == top && t.Deleted);
            if (stored is null || stored.Heartbeat != top || stored.Deleted != tombstoneOnTop)
            {
                return false;
            }

            // A lookup never sees a file whose freshest news is a delete.
            if (store.TryGetLive(byName.Key, out _) == tombstoneOnTop)
            {
                return false;
            }
        }

        return store.Count == all.Select(t => t.FileName).Distinct().Count();
    }

    [Fact]
    public void A_delete_beats_older_inserts_but_a_later_reinsert_beats_the_delete()
    {
        var home = NodeId.FromUInt64(7);
        var store = Tuples();
        Assert.True(store.Merge(new FileTuple("x", home, 5), 1));
        Assert.True(store.Merge(new FileTuple("x", home, 6, Deleted: true), 2));
        Assert.False(store.Merge(new FileTuple("x", home, 6), 3));
        Assert.False(store.TryGetLive("x", out _));
        Assert.True(store.Merge(new FileTuple("x", home, 7), 4));
        Assert.True(store.TryGetLive("x", out var live));
        Assert.Equal(7, live.Heartbeat);
    }
}
