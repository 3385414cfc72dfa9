using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using P2POrleans.Chord;
using P2POrleans.Common;

namespace P2POrleans.Tests.Chord;

/// <summary>
/// Chord's maintenance converges (Chord section 4.3 and ToN section 5.2; docs/chord.md): after any
/// sequence of joins, graceful leaves and crashes, with a few stabilization rounds after each, and
/// then enough rounds for fix_fingers to pass over the whole table, every pointer (predecessor,
/// successor list, every finger) equals the ideal ring's over the live peers, the ranges
/// (predecessor, n] split the ring so every key has exactly one owner, that owner holds every
/// key put before the churn (replicas and hand-offs carried it), and the key's copies are exactly at
/// its successor and the next r - 1 (copies at former places were dropped).
/// </summary>
public sealed class ChordRingProperties
{
    private static readonly ChordParameters Parameters = new() { Bits = 16, Successors = 4, Replicas = 3 };

    /// <summary>Peers to start from, the churn (kind 0 join, 1 leave, 2 crash; which peer; rounds after it), a seed.</summary>
    public static Arbitrary<(int Start, (int Kind, int Pick, int Rounds)[] Churn, int Seed)> Histories() =>
        (from start in Gen.Choose(2, 12)
         from churn in Gen.Choose(0, 24).SelectMany(n => Gen.ArrayOf((from kind in Gen.Choose(0, 2)
                                                                     from pick in Gen.Choose(0, 1000)
                                                                     from rounds in Gen.Choose(1, 3)
                                                                     select (kind, pick, rounds)), n))
         from seed in Gen.Choose(0, int.MaxValue)
         select (start, churn, seed)).ToArbitrary();

    [Property(Arbitrary = [typeof(ChordRingProperties)], MaxTest = 60)]
    public void After_any_churn_and_enough_rounds_every_pointer_is_the_ideal_rings_and_every_key_has_one_owner_that_holds_it((int Start, (int Kind, int Pick, int Rounds)[] Churn, int Seed) history) =>
        RunAsync(history).GetAwaiter().GetResult();

    /// <summary>
    /// Found by the property above: node 24745's finger 11 starts at 26793, a node's own id. fix_fingers
    /// took (start, owner] = (26793, 26793] for the whole ring and set fingers 12-15 to 26793 for ever.
    /// </summary>
    [Fact]
    public Task A_finger_whose_start_is_a_nodes_id_does_not_carry_the_fingers_after_it() =>
        RunAsync((8, [(0, 581, 3), (0, 385, 1), (0, 665, 3), (2, 10, 1), (0, 245, 2), (0, 75, 3)], 1517739648));

    private static async Task RunAsync((int Start, (int Kind, int Pick, int Rounds)[] Churn, int Seed) history)
    {
        var random = new Random(history.Seed);
        var ring = new ChordTestRing(Parameters);
        var used = new HashSet<NodeId>();
        NodeId NewId()
        {
            NodeId id;
            do
            {
                id = NodeId.FromUInt64((ulong)random.Next(1 << Parameters.Bits));
            }
            while (!used.Add(id));
            return id;
        }

        var first = NewId();
        ring.Create(first);
        for (var i = 1; i < history.Start; i++)
        {
            var live = ring.Live.ToList();
            await ring.JoinAsync(NewId(), live[random.Next(live.Count)]);
        }

        await ring.RoundsAsync(3);
        var keys = Enumerable.Range(0, 20).Select(i => $"key-{history.Seed}-{i}").ToList();
        foreach (var key in keys)
        {
            var live = ring.Live.ToList();
            var put = await ring.PutAsync(live[random.Next(live.Count)], key, "v:" + key);
            Assert.True(put.Lookup.Success, put.Lookup.Error);
        }

        foreach (var (kind, pick, rounds) in history.Churn)
        {
            var live = ring.Live.ToList();
            var after = rounds;
            if (kind == 0 || live.Count <= 2)
            {
                await ring.JoinAsync(NewId(), live[pick % live.Count]);
            }
            else if (kind == 1)
            {
                await ring.LeaveAsync(live[pick % live.Count]);
            }
            else
            {
                ring.Crash(live[pick % live.Count]);

                // r copies survive as long as fewer than r places fail before a repair (ToN section 5.2):
                // two rounds let the ring notice a crash and the new owner copy its range again.
                after = Math.Max(rounds, 2);
            }

            await ring.RoundsAsync(after);
        }

        // fix_fingers refreshes at least one finger per round: a pass over m fingers, after the successors settle.
        await ring.RoundsAsync((2 * Parameters.Bits) + 8);

        Assert.Empty(ring.Differences());
        var ideal = ring.Ideal;
        foreach (var key in keys)
        {
            var keyId = Parameters.Space.Hash(key);
            var owners = ring.Owners(keyId);
            Assert.Equal([ideal.Successor(keyId)], owners);
            Assert.Equal("v:" + key, ring.Node(owners[0]).Store.Get(key));

            // Exactly r copies, at the key's successor and the next r - 1 (docs/chord.md, replication).
            var places = ideal.ReplicaSet(keyId, Parameters.Replicas).Order().ToList();
            Assert.Equal(places, ring.Live.Where(id => ring.Node(id).Store.Get(key) is not null).ToList());
        }

        // Any key id at all, not only those stored: the ranges (predecessor, n] leave no gap and no overlap.
        for (var k = 0; k < 50; k++)
        {
            Assert.Single(ring.Owners(NodeId.FromUInt64((ulong)random.Next(1 << Parameters.Bits))));
        }
    }
}
