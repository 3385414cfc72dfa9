using P2POrleans.Chord;
using P2POrleans.Common;

namespace P2POrleans.Tests.Chord;

/// <summary>
/// Spread replicas while an owner does not know its successors' silos yet (docs/chord.md, replication;
/// <see cref="ReplicaPlacement.SpreadOverKnownHosts"/>): the copies still reach another silo.
/// </summary>
public sealed class ChordSpreadPlacementTests
{
    private static readonly ChordParameters Spread = new() { Bits = 16, Successors = 4, Replicas = 3, SpreadReplicas = true };

    [Fact]
    public async Task A_put_at_an_owner_that_does_not_know_its_successors_silos_yet_leaves_a_copy_off_its_silo()
    {
        // Twelve peers on three silos: the key's owner and its next two successors on A, then one on B, one on C.
        var ids = Enumerable.Range(1, 12).Select(i => NodeId.FromUInt64((ulong)i * 5000)).ToList();
        var keyId = Spread.Space.Hash("k");
        var ideal = new IdealRing(Spread.Space, ids);
        var owner = ideal.Successor(keyId);
        var after = ideal.SuccessorList(owner, ids.Count - 1);
        var silos = new Dictionary<NodeId, string> { [owner] = "A", [after[0]] = "A", [after[1]] = "A", [after[2]] = "B", [after[3]] = "C" };
        for (var i = 4; i < after.Count; i++)
        {
            silos[after[i]] = "ABC"[i % 3].ToString();
        }

        var ring = await ChordTestRing.BuildAsync(Spread, ids, rounds: 8, siloOf: id => silos[id]);

        // Stabilize reports a successor's silo one reply at a time: after joins or a crash shift the
        // successor lists, an owner does not know yet where its new successors run.
        ring.Node(owner).SuccessorSilos.Clear();
        Assert.True((await ring.PutAsync(ids[0], "k", "v")).Lookup.Success);

        // Counting the unknown silos as new ones, the copies went to the two successors on A only.
        ring.CrashSilo("A");
        Assert.Contains(ring.Live, id => ring.Node(id).Store.Get("k") == "v");
        await ring.RoundsAsync(4);
        Assert.Equal("v", (await ring.GetAsync(after[4], "k")).Value);
    }
}
