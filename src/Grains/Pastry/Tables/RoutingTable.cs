using P2POrleans.Common;

namespace P2POrleans.Pastry.Tables;

/// <summary>
/// The routing table R (section 2.1): ceil(m/b) rows of 2^b columns. Row l holds nodes that share
/// exactly l digits with the owner and whose digit l is the column; the owner's own column stays
/// empty. Rows are allocated on first use, so a node of a 100,000-node network holds about
/// log_{2^b} N rows, not 32. With proximity neighbour selection (section 2.5) a slot keeps the
/// candidate with the smallest RTT (ties: the smaller id, so the result does not depend on the
/// order candidates arrive in); without it the first candidate stays.
/// </summary>
public sealed class RoutingTable
{
    private readonly NodeId[]?[] _rows;
    private readonly Func<NodeId, NodeId, double> _rtt;

    public RoutingTable(NodeId owner, IdSpace space, int digitBits, Func<NodeId, NodeId, double> rtt, bool proximitySelection = true)
    {
        ArgumentNullException.ThrowIfNull(rtt);
        if (digitBits is < 1 or > 8 || digitBits > space.Bits)
        {
            throw new ArgumentOutOfRangeException(nameof(digitBits), digitBits, "b must be 1..8 and at most the id bits");
        }

        if (!space.Contains(owner))
        {
            throw new ArgumentOutOfRangeException(nameof(owner), owner, "the owner id is outside the id space");
        }

        Owner = owner;
        Space = space;
        DigitBits = digitBits;
        ProximitySelection = proximitySelection;
        _rtt = rtt;
        _rows = new NodeId[]?[space.DigitCount(digitBits)];
    }

    public NodeId Owner { get; }

    public IdSpace Space { get; }

    public int DigitBits { get; }

    public bool ProximitySelection { get; }

    /// <summary>ceil(m/b): the rows the table can have.</summary>
    public int RowCount => _rows.Length;

    /// <summary>2^b.</summary>
    public int ColumnCount => 1 << DigitBits;

    /// <summary>Occupied slots.</summary>
    public int Count { get; private set; }

    /// <summary>1 + the deepest row holding an entry (0 when empty).</summary>
    public int PopulatedRowCount
    {
        get
        {
            for (var i = _rows.Length - 1; i >= 0; i--)
            {
                if (_rows[i] is { } row && Array.Exists(row, id => id != Owner))
                {
                    return i + 1;
                }
            }

            return 0;
        }
    }

    /// <summary>Rows that have been allocated (for memory estimates).</summary>
    public int AllocatedRowCount => _rows.Count(r => r is not null);

    public NodeId? Get(int row, int column)
    {
        CheckSlot(row, column);
        var entries = _rows[row];
        return entries is null || entries[column] == Owner ? null : entries[column];
    }

    /// <summary>A copy of row i (null for empty slots, including the owner's own column).</summary>
    public IReadOnlyList<NodeId?> Row(int row)
    {
        CheckSlot(row, 0);
        var result = new NodeId?[ColumnCount];
        if (_rows[row] is { } entries)
        {
            for (var c = 0; c < entries.Length; c++)
            {
                result[c] = entries[c] == Owner ? null : entries[c];
            }
        }

        return result;
    }

    public IEnumerable<RoutingTableEntry> Entries
    {
        get
        {
            for (var r = 0; r < _rows.Length; r++)
            {
                if (_rows[r] is not { } entries)
                {
                    continue;
                }

                for (var c = 0; c < entries.Length; c++)
                {
                    if (entries[c] != Owner)
                    {
                        yield return new RoutingTableEntry(r, c, entries[c]);
                    }
                }
            }
        }
    }

    /// <summary>The entries of rows 0..lastRow (what a node on a join route sends, section 2.4).</summary>
    public IEnumerable<NodeId> EntriesUpToRow(int lastRow) => Entries.TakeWhile(e => e.Row <= lastRow).Select(e => e.Node);

    /// <summary>The slot a node belongs in: row = shared prefix length, column = its digit there. Null for the owner.</summary>
    public (int Row, int Column)? SlotOf(NodeId node)
    {
        if (node == Owner)
        {
            return null;
        }

        var row = Space.SharedPrefixDigits(Owner, node, DigitBits);
        return (row, Space.Digit(node, row, DigitBits));
    }

    public bool Contains(NodeId node) => SlotOf(node) is { } slot && _rows[slot.Row] is { } entries && entries[slot.Column] == node;

    /// <summary>
    /// Offers a candidate for its slot: fills an empty slot, or with proximity selection replaces an
    /// occupant that has a larger RTT. Returns whether the candidate is now in the table.
    /// </summary>
    public bool Consider(NodeId candidate)
    {
        if (!Space.Contains(candidate) || SlotOf(candidate) is not { } slot)
        {
            return false;
        }

        var entries = _rows[slot.Row] ??= NewRow();
        var occupant = entries[slot.Column];
        if (occupant == candidate)
        {
            return true;
        }

        if (occupant == Owner)
        {
            entries[slot.Column] = candidate;
            Count++;
            return true;
        }

        if (!ProximitySelection)
        {
            return false;
        }

        var candidateRtt = _rtt(Owner, candidate);
        var occupantRtt = _rtt(Owner, occupant);
        if (candidateRtt < occupantRtt || (candidateRtt == occupantRtt && candidate < occupant))
        {
            entries[slot.Column] = candidate;
            return true;
        }

        return false;
    }

    /// <summary>Empties the node's slot if it holds it; returns whether it did.</summary>
    public bool Remove(NodeId node)
    {
        if (SlotOf(node) is not { } slot || _rows[slot.Row] is not { } entries || entries[slot.Column] != node)
        {
            return false;
        }

        entries[slot.Column] = Owner;
        Count--;
        return true;
    }

    private NodeId[] NewRow()
    {
        // The owner's id marks an empty slot: the owner never sits in its own table, and a plain
        // NodeId array is a third smaller than NodeId?.
        var row = new NodeId[ColumnCount];
        Array.Fill(row, Owner);
        return row;
    }

    private void CheckSlot(int row, int column)
    {
        if (row < 0 || row >= _rows.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(row), row, $"rows are 0..{_rows.Length - 1}");
        }

        if (column < 0 || column >= ColumnCount)
        {
            throw new ArgumentOutOfRangeException(nameof(column), column, $"columns are 0..{ColumnCount - 1}");
        }
    }
}
