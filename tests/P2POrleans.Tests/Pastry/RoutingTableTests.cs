using FsCheck.Xunit;
using P2POrleans.Common;
using P2POrleans.Pastry;
using P2POrleans.Pastry.Tables;

namespace P2POrleans.Tests.Pastry;

public sealed class RoutingTableTests
{
    private static readonly IdSpace Space = new(128);

    [Property(Arbitrary = [typeof(PastryTableGen)], MaxTest = 150)]
    public void Slots_hold_a_candidate_of_the_right_prefix_and_digit_whenever_one_exists(TableCase c)
    {
        var random = new Random(c.Seed);
        var ids = PastryTestNetwork.NewIds(random, c.Candidates + 1, c.Clustered);
        var owner = ids[0];
        var candidates = ids.Skip(1).ToList();
        var table = new RoutingTable(owner, Space, c.DigitBits, PastryTestNetwork.Rtt, proximitySelection: false);
        foreach (var id in candidates)
        {
            table.Consider(id);
        }

        Assert.False(table.Consider(owner));
        Assert.Equal((128 + c.DigitBits - 1) / c.DigitBits, table.RowCount);
        var entries = table.Entries.ToList();
        Assert.Equal(entries.Count, table.Count);
        foreach (var e in entries)
        {
            Assert.Equal(e.Row, PastryTestNetwork.BruteForcePrefix(owner, e.Node, c.DigitBits));
            Assert.Equal(e.Column, PastryTestNetwork.BruteForceDigit(e.Node, e.Row, c.DigitBits));
            Assert.Equal(e.Node, table.Get(e.Row, e.Column));
            Assert.Equal(e.Node, table.Row(e.Row)[e.Column]);
            Assert.True(table.Contains(e.Node));
        }

        // A slot is empty only when no candidate fits it; without proximity the first one stays.
        var bySlot = candidates
            .GroupBy(n => (Row: PastryTestNetwork.BruteForcePrefix(owner, n, c.DigitBits), Column: 0))
            .SelectMany(g => g.GroupBy(n => (g.Key.Row, Column: PastryTestNetwork.BruteForceDigit(n, g.Key.Row, c.DigitBits))))
            .ToDictionary(g => g.Key, g => g.First());
        Assert.Equal(bySlot.Count, table.Count);
        foreach (var (slot, first) in bySlot)
        {
            Assert.Equal(first, table.Get(slot.Row, slot.Column));
        }

        // The owner's own column of every row stays empty.
        for (var row = 0; row < table.RowCount; row++)
        {
            Assert.Null(table.Get(row, PastryTestNetwork.BruteForceDigit(owner, row, c.DigitBits)));
        }

        // Remove empties exactly that slot.
        if (entries.Count > 0)
        {
            var victim = entries[random.Next(entries.Count)];
            Assert.True(table.Remove(victim.Node));
            Assert.False(table.Remove(victim.Node));
            Assert.Null(table.Get(victim.Row, victim.Column));
            Assert.Equal(entries.Count - 1, table.Count);
        }
    }

    [Property(Arbitrary = [typeof(PastryTableGen)], MaxTest = 150)]
    public void Proximity_selection_keeps_the_lowest_rtt_candidate_whatever_the_order(TableCase c)
    {
        var random = new Random(c.Seed);
        var ids = PastryTestNetwork.NewIds(random, c.Candidates + 1, c.Clustered);
        var owner = ids[0];
        var candidates = ids.Skip(1).ToList();

        // A coarse RTT (whole milliseconds) so that ties happen and the tie rule is exercised.
        double Rtt(NodeId a, NodeId b) => Math.Floor(PastryTestNetwork.Rtt(a, b) / 50);
        var forward = new RoutingTable(owner, Space, c.DigitBits, Rtt);
        var shuffled = new RoutingTable(owner, Space, c.DigitBits, Rtt);
        foreach (var id in candidates)
        {
            forward.Consider(id);
        }

        foreach (var id in candidates.OrderBy(_ => random.Next()))
        {
            shuffled.Consider(id);
        }

        Assert.Equal(forward.Entries, shuffled.Entries);
        foreach (var e in forward.Entries)
        {
            var slotCandidates = candidates.Where(n =>
                PastryTestNetwork.BruteForcePrefix(owner, n, c.DigitBits) == e.Row
                && PastryTestNetwork.BruteForceDigit(n, e.Row, c.DigitBits) == e.Column);
            var best = slotCandidates.OrderBy(n => Rtt(owner, n)).ThenBy(n => n).First();
            Assert.Equal(best, e.Node);
        }
    }

    [Fact]
    public void Places_nodes_by_shared_prefix_and_next_digit()
    {
        // 8-bit ids, b = 2: owner 01 10 11 00.
        var space = new IdSpace(8);
        var table = new RoutingTable(NodeId.FromUInt64(0b01_10_11_00), space, 2, (_, _) => 1);
        Assert.True(table.Consider(NodeId.FromUInt64(0b11_00_00_00)));
        Assert.True(table.Consider(NodeId.FromUInt64(0b01_00_00_00)));
        Assert.True(table.Consider(NodeId.FromUInt64(0b01_10_10_00)));
        Assert.True(table.Consider(NodeId.FromUInt64(0b01_10_11_11)));
        Assert.False(table.Consider(NodeId.FromUInt64(0b11_11_11_11))); // same slot, equal RTT, larger id
        Assert.Equal(NodeId.FromUInt64(0b11_00_00_00), table.Get(0, 3));
        Assert.Equal(NodeId.FromUInt64(0b01_00_00_00), table.Get(1, 0));
        Assert.Equal(NodeId.FromUInt64(0b01_10_10_00), table.Get(2, 2));
        Assert.Equal(NodeId.FromUInt64(0b01_10_11_11), table.Get(3, 3));
        Assert.Equal(4, table.Count);
        Assert.Equal(4, table.PopulatedRowCount);
        Assert.Equal((2, 2), table.SlotOf(NodeId.FromUInt64(0b01_10_10_01)));
        Assert.Null(table.SlotOf(NodeId.FromUInt64(0b01_10_11_00)));

        // Repair contacts for R[1][0]: the rest of row 1 (none), then rows 2 and 3.
        Assert.Equal(
            [NodeId.FromUInt64(0b01_10_10_00), NodeId.FromUInt64(0b01_10_11_11)],
            PastryRepair.RoutingRepairContacts(table, 1, 0));
        Assert.Equal(
            [NodeId.FromUInt64(0b11_00_00_00), NodeId.FromUInt64(0b01_00_00_00), NodeId.FromUInt64(0b01_10_10_00), NodeId.FromUInt64(0b01_10_11_11)],
            PastryRepair.RoutingRepairContacts(table, 0, 2));
    }
}
