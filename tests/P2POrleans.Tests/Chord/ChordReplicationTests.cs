using P2POrleans.Chord;
using P2POrleans.Common;

namespace P2POrleans.Tests.Chord;

/// <summary>
/// Where Chord keeps the copies of a key (ToN section 5.2; docs/chord.md, replication): at its
/// successor and the next r - 1 successors, and nowhere else once maintenance settles; a copy is
/// dropped only after every place took it, and an older copy never replaces a newer write.
/// </summary>
public sealed class ChordReplicationTests
{
    private static readonly ChordParameters Three = new() { Bits = 16, Successors = 4, Replicas = 3 };

    private static NodeId N(ulong v) => NodeId.FromUInt64(v);

    /// <summary>The live peers that hold a copy of the key.</summary>
    private static List<NodeId> Holders(ChordTestRing ring, string key) => [.. ring.Live.Where(id => ring.Node(id).Store.Get(key) is not null)];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task After_joins_and_rounds_every_key_is_held_exactly_at_its_successor_and_the_next_r_minus_1(int replicas)
    {
        var parameters = Three with { Replicas = replicas };
        var ids = ChordTestRing.RandomIds(24, seed: 5);
        var ring = await ChordTestRing.BuildAsync(parameters, ids[..8], rounds: 6);
        var keys = Enumerable.Range(0, 40).Select(i => $"key-{i}").ToList();
        foreach (var key in keys)
        {
            Assert.True((await ring.PutAsync(ids[0], key, "v-" + key)).Lookup.Success);
        }

        // Sixteen joins move the places of most keys; without the cleanup every earlier place kept its copy.
        foreach (var id in ids[8..])
        {
            await ring.JoinAsync(id, ids[0]);
            await ring.RoundsAsync(1);
        }

        // fix_fingers refreshes at least one finger per round: a pass over m fingers, after the successors settle.
        await ring.RoundsAsync((2 * parameters.Space.Bits) + 8);

        Assert.Empty(ring.Differences());
        var ideal = ring.Ideal;
        foreach (var key in keys)
        {
            var places = ideal.ReplicaSet(parameters.Space.Hash(key), replicas).Order().ToList();
            Assert.Equal(places, Holders(ring, key));
            Assert.All(places, p => Assert.Equal("v-" + key, ring.Node(p).Store.Get(key)));
        }

        Assert.Equal(keys.Count * replicas, ring.Live.Sum(id => ring.Node(id).Store.Count));
    }

    [Fact]
    public async Task A_copy_held_elsewhere_is_kept_while_its_owner_does_not_answer_and_dropped_once_every_place_took_it()
    {
        // Durable peers: an owner whose silo does not answer stays in the ring and comes back with its state.
        var durable = Three with { Durable = true };
        var ids = ChordTestRing.RandomIds(10, seed: 9);
        var ring = await ChordTestRing.BuildAsync(durable, ids, rounds: 8);
        var ideal = ring.Ideal;

        // A copy at a peer that is not one of the key's places (as a peer holds after the ring changed around it).
        var key = "stray";
        var keyId = Three.Space.Hash(key);
        var places = ideal.ReplicaSet(keyId, Three.Replicas);
        var owner = places[0];
        var stray = ideal.Ids.First(id => !places.Contains(id) && !places.Contains(ideal.Predecessor(id)));
        ring.Node(stray).Take([new StoredItem(key, keyId, "only-copy", 7)]);

        ring.Hang(owner);
        await ring.RoundsAsync(2);
        Assert.Equal("only-copy", ring.Node(stray).Store.Get(key));

        ring.Hang(owner, hung: false);
        await ring.RoundsAsync(2);
        Assert.Equal(places.Order().ToList(), Holders(ring, key));
        Assert.All(places, p => Assert.Equal("only-copy", ring.Node(p).Store.Get(key)));
    }

    [Fact]
    public async Task A_spread_owner_that_does_not_know_its_successors_silos_yet_leaves_a_copy_off_its_silo()
    {
        // Twelve peers on three silos: the key's owner and its next two successors on A, then one on B, one on C.
        var spread = Three with { SpreadReplicas = true };
        var (ring, ids, owner, after) = await ChordTestRing.BuildOwnerRunOnOneSiloAsync(spread, "k");
        Assert.True((await ring.PutAsync(ids[0], "k", "v")).Lookup.Success);
        await ring.RoundsAsync(2);
        Assert.Equal(new[] { owner, after[2], after[3] }.Order().ToList(), Holders(ring, "k"));

        // Stabilize reports a successor's silo one reply at a time: after joins or a crash shift the
        // successor lists, an owner does not know yet where its new successors run. The holders on B
        // and C check their copies against the owner's replica targets just then.
        ring.Node(owner).SuccessorSilos.Clear();
        foreach (var holder in new[] { after[2], after[3] })
        {
            ring.Node(holder).CopiesChecked = null;
            await ChordReplication.DropCopiesHeldElsewhereAsync(ring.Node(holder));
        }

        // Counting the unknown silos as new ones, the targets were the two successors on A: B and C
        // dropped their copies and silo A's crash lost the key.
        ring.CrashSilo("A");
        Assert.Equal(new[] { after[2], after[3] }.Order().ToList(), Holders(ring, "k"));
        await ring.RoundsAsync(4);
        Assert.Equal("v", (await ring.GetAsync(after[4], "k")).Value);
    }

    [Fact]
    public async Task A_copy_handed_back_by_a_former_place_never_undoes_a_later_write()
    {
        var ids = ChordTestRing.RandomIds(10, seed: 13);
        var ring = await ChordTestRing.BuildAsync(Three, ids, rounds: 8);
        Assert.True((await ring.PutAsync(ids[3], "k", "old")).Lookup.Success);
        var ideal = ring.Ideal;
        var keyId = Three.Space.Hash("k");
        var places = ideal.ReplicaSet(keyId, Three.Replicas);
        var oldCopy = ring.Node(places[0]).Store.Find("k")!;
        Assert.True((await ring.PutAsync(ids[5], "k", "new")).Lookup.Success);

        // A peer outside the places still holds the old version: the cleanup hands it to every place.
        var stray = ideal.Ids.First(id => !places.Contains(id) && !places.Contains(ideal.Predecessor(id)));
        ring.Node(stray).Take([oldCopy]);
        await ring.RoundsAsync(2);

        Assert.Equal(places.Order().ToList(), Holders(ring, "k"));
        Assert.All(places, p => Assert.Equal("new", ring.Node(p).Store.Get("k")));
        Assert.Equal("new", (await ring.GetAsync(ids[7], "k")).Value);
    }

    [Fact]
    public async Task A_write_taken_by_the_former_owner_just_after_a_join_reaches_the_newcomer_that_owns_the_key()
    {
        var ids = ChordTestRing.RandomIds(10, seed: 17);
        var keyId = Three.Space.Hash("k");
        Assert.DoesNotContain(keyId, ids);
        var ring = await ChordTestRing.BuildAsync(Three, ids, rounds: 8);
        Assert.True((await ring.PutAsync(ids[0], "k", "old")).Lookup.Success);
        var former = ring.Ideal.Successor(keyId);

        // A newcomer with the key's own id joins: the notify hands it the key, it owns it now.
        await ring.JoinAsync(keyId, ids[0]);
        Assert.Equal("old", ring.Node(keyId).Store.Get("k"));

        // A put whose lookup ended at the former owner before the join: the former owner stamps and copies it.
        var node = ring.Node(former);
        await ChordReplication.CopyAsync(node, node.StoreAsOwner(new StoredItem("k", keyId, "new")));
        await ring.RoundsAsync(4);

        // The newcomer owns the key with the older copy and every get reads it first. The former owner's
        // last replica target is no place of the key now: the copy cleanup hands its newer copy to the
        // owner (Take keeps the newer version) before dropping it.
        Assert.Equal("new", ring.Node(keyId).Store.Get("k"));
        Assert.Equal("new", (await ring.GetAsync(ids[3], "k")).Value);
    }

    [Fact]
    public async Task The_notify_of_the_predecessor_we_already_have_hands_over_no_keys()
    {
        var ids = ChordTestRing.RandomIds(10, seed: 23);
        var ring = await ChordTestRing.BuildAsync(Three, ids, rounds: 8);
        foreach (var i in Enumerable.Range(0, 30))
        {
            Assert.True((await ring.PutAsync(ids[0], $"key-{i}", "v")).Lookup.Success);
        }

        await ring.RoundsAsync(2);
        foreach (var id in ring.Live)
        {
            var node = ring.Node(id);
            var answer = node.Notify(node.Predecessor!.Value);
            Assert.True(answer.Accepted);
            Assert.Empty(answer.Keys);
        }
    }

    [Fact]
    public void The_owner_stamps_each_write_later_than_the_copy_it_holds_and_a_copy_takes_only_a_later_version()
    {
        var ring = new ChordTestRing(Three);
        ring.Create(N(1000));
        var node = ring.Node(N(1000));
        var first = node.StoreAsOwner(new StoredItem("k", N(10), "a"));
        var second = node.StoreAsOwner(new StoredItem("k", N(10), "b"));
        Assert.True(second.Version > first.Version);

        node.Take([first]);
        Assert.Equal("b", node.Store.Get("k"));

        // A tie (two owners stamped the same version) settles on the same value at every holder.
        var tie = second with { Value = "c" };
        node.Take([tie]);
        Assert.Equal("c", node.Store.Get("k"));
        node.Take([second]);
        Assert.Equal("c", node.Store.Get("k"));
    }

    [Fact]
    public async Task A_put_whose_durable_owner_does_not_answer_is_refused_while_a_volatile_ring_stores_it_at_the_next_live_successor()
    {
        var ids = ChordTestRing.RandomIds(10, seed: 21);
        var keyId = Three.Space.Hash("k");
        foreach (var durable in new[] { true, false })
        {
            var ring = await ChordTestRing.BuildAsync(Three with { Durable = durable }, ids, rounds: 8);
            var places = ring.Ideal.ReplicaSet(keyId, Three.Replicas);
            var from = ids.First(id => !places.Contains(id));
            ring.Hang(places[0]);
            if (durable)
            {
                await Assert.ThrowsAsync<P2PException>(() => ring.PutAsync(from, "k", "v"));
                Assert.All(ring.Live, id => Assert.Null(ring.Node(id).Store.Get("k")));
            }
            else
            {
                var put = await ring.PutAsync(from, "k", "v");
                Assert.Equal(places[1], put.StoredAt[0]);
            }
        }
    }
}
