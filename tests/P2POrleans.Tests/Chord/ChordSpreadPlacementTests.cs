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
        var (ring, ids, owner, after) = await ChordTestRing.BuildOwnerRunOnOneSiloAsync(Spread, "k");

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
