using FsCheck.Xunit;
using P2POrleans.Common;
using P2POrleans.Pastry;
using P2POrleans.Pastry.Tables;

namespace P2POrleans.Tests.Pastry;

/// <summary>Repair after failures (section 2.4): leaf sets converge to the exact ones, the routing table refills validly.</summary>
public sealed class PastryRepairTests
{
    [Property(Arbitrary = [typeof(PastryGen)], MaxTest = 20)]
    public void Leaf_set_repair_restores_the_exact_leaf_sets_of_the_live_nodes(NetworkCase c)
    {
        var net = new PastryTestNetwork(c with { Nodes = Math.Min(c.Nodes, 400) });
        net.KillRandom(net.Ids.Count / 4);
        var live = net.Live.ToList();
        foreach (var id in live)
        {
            var state = net.State(id);
            foreach (var dead in net.Dead)
            {
                state.Forget(dead);
            }
        }

        var index = new PastryIdIndex(live, net.Parameters);
        for (var round = 0; round < 10; round++)
        {
            var changed = false;
            foreach (var id in live)
            {
                var state = net.State(id);
                foreach (var side in new[] { LeafSides.Smaller, LeafSides.Larger })
                {
                    // A full side can still be wrong: it was filled from a contact whose own leaf set
                    // was not repaired yet. Ask again every round until nothing changes (the grain's
                    // leaf-set heartbeat does the same, docs/pastry.md).
                    var contact = PastryRepair.LeafSetRepairContact(state.LeafSet, side);
                    Assert.NotNull(contact); // fewer than |L|/2 adjacent failures: a live leaf remains
                    var before = state.LeafSet.Snapshot();
                    PastryRepair.MergeLeafSet(state, net.State(contact.Value).LeafSet.Snapshot(), net.Dead);
                    var after = state.LeafSet.Snapshot();
                    changed |= !before.Smaller.SequenceEqual(after.Smaller) || !before.Larger.SequenceEqual(after.Larger);
                }
            }

            if (!changed)
            {
                break;
            }
        }

        var report = PastryStateChecker.Check(index, live.Select(net.State));
        Assert.Equal(live.Count, report.CorrectLeafSets);
        Assert.Equal(0, report.StaleEntries);
    }

    /// <summary>
    /// Found by the property below: with b = 1 a row holds one entry, so the paper's contacts (the
    /// rest of row l, then rows l+1...) were too few and only 62 of 78 slots came back. The node's
    /// own leaf and neighbourhood sets are now used too.
    /// </summary>
    [Fact]
    public void Routing_table_repair_with_one_bit_digits_refills_the_case_that_used_to_fail() =>
        Routing_table_repair_refills_dead_slots_with_valid_live_entries(new NetworkCase(924832007, 135, 1, 32, true, false));

    [Property(Arbitrary = [typeof(PastryGen)], MaxTest = 20)]
    public void Routing_table_repair_refills_dead_slots_with_valid_live_entries(NetworkCase c)
    {
        var net = new PastryTestNetwork(c with { Nodes = Math.Min(c.Nodes, 400) });
        var owners = net.Ids.Take(30).ToList();
        foreach (var id in owners)
        {
            net.State(id);
        }

        // Fail nodes that sit in those tables, so there is something to repair.
        foreach (var id in owners)
        {
            foreach (var entry in net.State(id).RoutingTable.Entries.Where(_ => net.Random.Next(4) == 0))
            {
                if (!owners.Contains(entry.Node))
                {
                    net.Dead.Add(entry.Node);
                }
            }
        }

        var live = net.Live.ToList();
        var index = new PastryIdIndex(live, net.Parameters);
        int lost = 0, refilled = 0;
        foreach (var id in owners)
        {
            var state = net.State(id);
            var slots = net.Dead.Select(d => (Dead: d, Slot: state.RoutingTable.SlotOf(d))).Where(t => state.RoutingTable.Contains(t.Dead)).ToList();
            foreach (var dead in net.Dead)
            {
                state.Forget(dead);
            }

            foreach (var (_, slot) in slots)
            {
                var (row, column) = slot!.Value;
                var (start, end) = index.SlotRange(id, row, column);
                if (end == start)
                {
                    continue; // no live candidate left anywhere: nothing to find
                }

                lost++;
                foreach (var contact in PastryRepair.RoutingRepairContacts(state, row, column, net.Dead))
                {
                    if (state.RoutingTable.Get(row, column) is not null)
                    {
                        break; // refilled, possibly from the node's own leaf or neighbourhood set
                    }

                    var answer = PastryRepair.AnswerRoutingRepair(net.State(contact), id, row, column);
                    Assert.All(answer, n => Assert.Equal((row, column), state.RoutingTable.SlotOf(n)));
                    PastryRepair.MergeRoutingRepair(state, row, column, answer, net.Dead);
                }

                if (state.RoutingTable.Get(row, column) is not null)
                {
                    refilled++;
                }
            }
        }

        var report = PastryStateChecker.Check(index, owners.Select(net.State));
        Assert.Equal(0, report.StaleEntries);
        Assert.Equal(0, report.MisplacedEntries);

        // The paper: "very likely" to find a replacement; with complete tables around, nearly always.
        Assert.True(refilled >= lost * 0.8, $"refilled {refilled} of {lost} slots");
    }
}
