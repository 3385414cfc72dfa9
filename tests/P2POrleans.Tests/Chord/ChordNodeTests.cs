using P2POrleans.Chord;
using P2POrleans.Common;

namespace P2POrleans.Tests.Chord;

/// <summary>
/// Chord's rules one at a time on the in-memory ring (docs/chord.md): notify, the key hand-off of a
/// join and of a leave, lookups around dead hops in both modes, and a get that tells "unavailable"
/// from "not found".
/// </summary>
public sealed class ChordNodeTests
{
    private static readonly ChordParameters Small = new() { Bits = 16, Successors = 4, Replicas = 3 };

    private static NodeId N(ulong v) => NodeId.FromUInt64(v);

    [Fact]
    public void Notify_adopts_a_candidate_between_the_predecessor_and_us_and_hands_it_the_keys_it_now_owns()
    {
        var ring = new ChordTestRing(Small);
        ring.Create(N(1000));
        var node = ring.Node(N(1000));
        node.Predecessor = N(100);
        node.Take([new StoredItem("a", N(300), "A"), new StoredItem("b", N(600), "B")]);

        var farther = node.Notify(N(50));
        Assert.False(farther.Accepted);
        Assert.Equal(N(100), node.Predecessor);

        var closer = node.Notify(N(500));
        Assert.True(closer.Accepted);
        Assert.Equal(N(500), node.Predecessor);
        Assert.Equal(N(100), closer.PreviousPredecessor);
        Assert.Equal(["a"], closer.Keys.Select(k => k.Key));
        Assert.Equal("A", node.Store.Get("a")); // kept as the new owner's first replica
    }

    [Fact]
    public async Task A_joiner_holds_the_keys_of_its_range_and_is_everyones_pointer_before_any_round()
    {
        var ring = await ChordTestRing.BuildAsync(Small, [N(10_000), N(30_000), N(50_000)], rounds: 20);
        for (var k = 0; k < 40; k++)
        {
            await ring.PutAsync(N(10_000), $"k{k}", $"v{k}");
        }

        await ring.JoinAsync(N(40_000), N(10_000));

        var joiner = ring.Node(N(40_000));
        var expected = Enumerable.Range(0, 40).Select(k => $"k{k}").Where(k => Small.Space.InOpenClosed(Small.Space.Hash(k), N(30_000), N(40_000))).ToList();
        Assert.NotEmpty(expected);
        Assert.All(expected, k => Assert.Equal("v" + k[1..], joiner.Store.Get(k)));
        Assert.Equal(N(30_000), joiner.Predecessor);
        Assert.Equal(N(50_000), joiner.Successors.First);
        Assert.Equal(N(40_000), ring.Node(N(30_000)).Successors.First);
        Assert.Equal(N(40_000), ring.Node(N(50_000)).Predecessor);
    }

    [Fact]
    public async Task A_leaver_hands_its_keys_to_its_successor_and_links_its_neighbours_before_any_round()
    {
        var ring = await ChordTestRing.BuildAsync(Small with { Replicas = 1 }, [N(10_000), N(30_000), N(50_000), N(60_000)], rounds: 20);
        for (var k = 0; k < 40; k++)
        {
            await ring.PutAsync(N(10_000), $"k{k}", $"v{k}");
        }

        var owned = ring.Node(N(30_000)).Store.Items.Select(i => i.Key).ToList();
        Assert.NotEmpty(owned);

        await ring.LeaveAsync(N(30_000));

        Assert.All(owned, k => Assert.NotNull(ring.Node(N(50_000)).Store.Get(k)));
        Assert.Equal(N(10_000), ring.Node(N(50_000)).Predecessor);
        Assert.Equal(N(50_000), ring.Node(N(10_000)).Successors.First);
        Assert.DoesNotContain(N(30_000), ring.Node(N(10_000)).Successors.Nodes);
        Assert.All(ring.Live, id =>
        {
            Assert.Equal(ring.Ideal.Predecessor(id), ring.Node(id).Predecessor);
            Assert.Equal(ring.Ideal.Successor(Small.Space.Add(id, NodeId.FromUInt64(1))), ring.Node(id).Successors.First);
        });
    }

    [Theory]
    [InlineData(ChordMode.Iterative)]
    [InlineData(ChordMode.Recursive)]
    public async Task A_lookup_routes_around_a_crashed_hop_to_the_live_owner(ChordMode mode)
    {
        var ids = ChordTestRing.RandomIds(40, seed: 7);
        var ring = await ChordTestRing.BuildAsync(Small with { Mode = mode }, ids, rounds: 40);
        Assert.Empty(ring.Differences());

        // A key whose route from the initiator has at least two hops; crash the first of them.
        var from = ids[0];
        var (key, before) = await FirstWithHopsAsync(ring, from, 2);
        var crashed = before.Path[1].Node;
        ring.Crash(crashed);

        var after = await ring.LookupAsync(from, key);

        Assert.True(after.Success, after.Error);
        Assert.Equal(ring.Ideal.Successor(key), after.Owner);
        Assert.DoesNotContain(after.Path, h => h.Node == crashed);
        Assert.True(after.DeadHopsSkipped >= 1);
        Assert.DoesNotContain(crashed, ring.Node(from).Fingers.Nodes); // gone: forgotten by the peer that found it dead
    }

    [Fact]
    public async Task A_get_whose_holders_do_not_answer_is_unavailable_while_one_whose_holders_are_gone_is_not_found()
    {
        var ids = ChordTestRing.RandomIds(12, seed: 3);
        var ring = await ChordTestRing.BuildAsync(Small, ids, rounds: 40);
        await ring.PutAsync(ids[0], "song", "la");
        var holders = ring.Ideal.ReplicaSet(Small.Space.Hash("song"), Small.Replicas);
        var reader = ids.First(i => !holders.Contains(i));
        Assert.Equal("la", (await ring.GetAsync(reader, "song")).Value);

        // The owner answers but has lost its copy; the replicas' silos do not answer: unavailable.
        ring.Node(holders[0]).Store.Remove("song");
        foreach (var replica in holders.Skip(1))
        {
            ring.Hang(replica);
        }

        var unavailable = await ring.GetAsync(reader, "song");
        Assert.True(unavailable.Lookup.Success);
        Assert.Null(unavailable.Value);
        Assert.Equal(holders.Count - 1, unavailable.HoldersUnreachable);

        // The same replicas gone for good (they answer "not a member"): the key is not found.
        foreach (var replica in holders.Skip(1))
        {
            ring.Hang(replica, false);
            ring.Crash(replica);
        }

        var missing = await ring.GetAsync(reader, "song");
        Assert.Null(missing.Value);
        Assert.Equal(0, missing.HoldersUnreachable);
    }

    private static async Task<(NodeId Key, LookupResult Result)> FirstWithHopsAsync(ChordTestRing ring, NodeId from, int hops)
    {
        for (ulong k = 1; k < 1 << 16; k += 97)
        {
            var result = await ring.LookupAsync(from, N(k));
            if (result.Hops >= hops && result.Path.Count > hops)
            {
                return (N(k), result);
            }
        }

        throw new InvalidOperationException("no key with that many hops");
    }
}
