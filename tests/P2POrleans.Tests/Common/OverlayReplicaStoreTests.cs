using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using P2POrleans.Chord;
using P2POrleans.Common;

namespace P2POrleans.Tests.Common;

/// <summary>
/// A silo's replica of the overlay registries: partial changes apply only in order, a gap asks for the
/// whole overlay, an older change never overwrites a newer one, and a deletion is kept as a tombstone.
/// </summary>
public sealed class OverlayReplicaStoreTests
{
    private static readonly ChordParameters Parameters = new() { Bits = 16 };

    private static NodeId Id(int i) => NodeId.FromUInt64((ulong)i);

    private static OverlayChange Full(OverlayVersion version, params int[] members) =>
        new("ring", version, true, Parameters, DateTimeOffset.UnixEpoch, 0, 0, [.. members.Select(Id)], []);

    private static OverlayChange Delta(OverlayVersion version, int[] added, int[] removed, long round = 0) =>
        new("ring", version, false, Parameters, DateTimeOffset.UnixEpoch, round, 0, [.. added.Select(Id)], [.. removed.Select(Id)]);

    [Fact]
    public void Partial_changes_apply_in_order_and_a_gap_asks_for_the_whole_overlay()
    {
        var store = new OverlayReplicaStore();
        Assert.Equal(OverlayReplicaStore.Outcome.Gap, store.Apply(Delta(new(1, 1), [1], [])));
        Assert.Null(store.Get("ring"));

        Assert.Equal(OverlayReplicaStore.Outcome.Applied, store.Apply(Full(new(1, 1), 1, 2)));
        Assert.Equal(OverlayReplicaStore.Outcome.Applied, store.Apply(Delta(new(1, 2), [3], [1], round: 5)));
        Assert.Equal(OverlayReplicaStore.Outcome.Gap, store.Apply(Delta(new(1, 4), [9], [])));
        Assert.Equal(OverlayReplicaStore.Outcome.Stale, store.Apply(Delta(new(1, 2), [7], [])));

        var replica = store.Get("ring")!;
        Assert.Equal([Id(2), Id(3)], replica.Members);
        Assert.Equal(new OverlayVersion(1, 2), replica.Version);
        Assert.Equal(new OverlayInfo("ring", Parameters, 2, 5, DateTimeOffset.UnixEpoch), replica.Info);
    }

    /// <summary>What a Chord peer with no successor and no finger left joins again through (docs/chord.md, "A whole silo's peers at once").</summary>
    [Fact]
    public void The_members_after_an_id_follow_it_in_ring_order_and_leave_it_out()
    {
        var replica = OverlayReplica.From(Full(new(1, 1), 10, 20, 30, 40));

        Assert.Equal([Id(30), Id(40)], replica.MembersAfter(Id(20), 2));
        Assert.Equal([Id(40), Id(10), Id(20)], replica.MembersAfter(Id(35), 3));
        Assert.Equal([Id(10), Id(20), Id(30)], replica.MembersAfter(Id(40), 5));
        Assert.Empty(replica.MembersAfter(Id(40), 0));
        Assert.Empty(OverlayReplica.From(Full(new(1, 1), 40)).MembersAfter(Id(40), 5));
    }

    [Fact]
    public void A_new_registry_activation_replaces_the_replica_and_an_old_one_cannot()
    {
        var store = new OverlayReplicaStore();
        store.Apply(Full(new(1, 7), 1, 2, 3));

        // The registry's silo crashed; its new activation restored from another replica and starts epoch 2.
        Assert.Equal(OverlayReplicaStore.Outcome.Applied, store.Apply(Full(new(2, 1), 1, 2)));
        Assert.Equal(OverlayReplicaStore.Outcome.Stale, store.Apply(Full(new(1, 8), 1, 2, 3, 4)));
        Assert.Equal(OverlayReplicaStore.Outcome.Stale, store.Apply(Delta(new(1, 8), [4], [])));
        Assert.Equal([Id(1), Id(2)], store.Get("ring")!.Members);
    }

    [Fact]
    public void A_deleted_overlay_is_a_tombstone_that_a_late_change_cannot_bring_back()
    {
        var store = new OverlayReplicaStore();
        store.Apply(Full(new(1, 1), 1));
        store.Apply(new OverlayChange("ring", new(1, 2), true, null, DateTimeOffset.UnixEpoch, 0, 0, [], []));

        Assert.Equal(OverlayReplicaStore.Outcome.Stale, store.Apply(Delta(new(1, 2), [5], [])));
        Assert.False(store.Get("ring")!.Exists);
        Assert.Null(store.Get("ring")!.Info);
    }

    /// <summary>
    /// Whatever the registry does and whichever of its partial changes are lost on the way, a replica
    /// that answers each gap with the whole overlay (as <see cref="OverlayReplicas.SendAsync"/> does)
    /// ends with the registry's members.
    /// </summary>
    [Property(MaxTest = 300)]
    public bool Lost_changes_are_repaired_by_the_whole_overlay(int[] ops, bool[] lost)
    {
        var registry = new SortedSet<NodeId>();
        var store = new OverlayReplicaStore();
        var version = new OverlayVersion(1, 1);
        store.Apply(Full(version));
        for (var i = 0; i < (ops ?? []).Length; i++)
        {
            // A small id space, so removes often hit members.
            var id = Math.Abs(ops![i] % 16);
            var remove = ops[i] < 0;
            var changed = remove ? registry.Remove(Id(id)) : registry.Add(Id(id));
            if (!changed)
            {
                continue;
            }

            version = version.Next;
            var change = remove ? Delta(version, [], [id]) : Delta(version, [id], []);
            if (lost is { Length: > 0 } && lost[i % lost.Length])
            {
                continue;
            }

            if (store.Apply(change) == OverlayReplicaStore.Outcome.Gap)
            {
                store.Apply(new OverlayChange("ring", version, true, Parameters, DateTimeOffset.UnixEpoch, 0, 0, [.. registry], []));
            }
        }

        // The registry's next change reaches the replica (it always sends one after a change, or the whole overlay on a gap).
        version = version.Next;
        if (store.Apply(Delta(version, [], [])) == OverlayReplicaStore.Outcome.Gap)
        {
            store.Apply(new OverlayChange("ring", version, true, Parameters, DateTimeOffset.UnixEpoch, 0, 0, [.. registry], []));
        }

        return store.Get("ring")!.Members.SequenceEqual(registry) && store.Get("ring")!.Version == version;
    }
}
