namespace P2POrleans.Pastry;

/// <summary>
/// Compares node states with the ground truth of a live membership (for tests and experiments; the
/// overlay registry has the membership, routing never uses it).
/// </summary>
public static class PastryStateChecker
{
    public static PastryTruthReport Check(PastryIdIndex live, IEnumerable<PastryRoutingState> states)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(states);
        int nodes = 0, correctLeafSets = 0;
        long entries = 0, valid = 0, misplaced = 0, stale = 0, slotsWithCandidates = 0, emptyWithCandidates = 0;
        foreach (var state in states)
        {
            nodes++;
            var id = state.Id;
            var space = state.Space;
            var b = state.DigitBits;
            if (state.LeafSet.Smaller.SequenceEqual(live.IdealSmaller(id)) && state.LeafSet.Larger.SequenceEqual(live.IdealLarger(id)))
            {
                correctLeafSets++;
            }

            foreach (var entry in state.RoutingTable.Entries)
            {
                entries++;
                if (!live.Contains(entry.Node))
                {
                    stale++;
                }
                else if (space.SharedPrefixDigits(id, entry.Node, b) == entry.Row && space.Digit(entry.Node, entry.Row, b) == entry.Column)
                {
                    valid++;
                }
                else
                {
                    misplaced++;
                }
            }

            var self = live.Contains(id) ? 1 : 0;
            for (var row = 0; row < state.RoutingTable.RowCount; row++)
            {
                var (groupStart, groupEnd) = live.PrefixRange(id, row);
                if (groupEnd - groupStart <= self)
                {
                    break;
                }

                var own = space.Digit(id, row, b);
                var columns = state.Parameters.ColumnsInRow(row);
                for (var column = 0; column < columns; column++)
                {
                    if (column == own)
                    {
                        continue;
                    }

                    var (start, end) = live.SlotRange(id, row, column);
                    if (end > start)
                    {
                        slotsWithCandidates++;
                        if (state.RoutingTable.Get(row, column) is null)
                        {
                            emptyWithCandidates++;
                        }
                    }
                }
            }
        }

        return new PastryTruthReport(nodes, correctLeafSets, entries, valid, misplaced, stale, slotsWithCandidates, emptyWithCandidates);
    }
}
