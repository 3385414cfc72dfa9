using P2POrleans.Common;

namespace P2POrleans.Chord;

/// <summary>
/// What a durable Chord peer persists (docs/durability.md): enough to be a working member with its keys when
/// it is reactivated on another silo. Fingers ride along with the other writes but never cause one
/// (see <c>ChordPeerGrain.Marker</c>). Volatile peers never write it.
/// </summary>
[GenerateSerializer, Alias("p2p.chord.ChordPeerRecord")]
public sealed class ChordPeerRecord
{
    [Id(0)] public bool Member { get; set; }

    [Id(1)] public ChordParameters? Parameters { get; set; }

    [Id(2)] public string Address { get; set; } = "";

    [Id(3)] public NodeId? Predecessor { get; set; }

    [Id(4)] public List<NodeId> Successors { get; set; } = [];

    [Id(5)] public List<FingerRun> Fingers { get; set; } = [];

    [Id(6)] public List<StoredItem> Items { get; set; } = [];

    [Id(7)] public int NextFinger { get; set; }

    [Id(8)] public long LookupMessages { get; set; }

    [Id(9)] public long MaintenanceMessages { get; set; }

    /// <summary>What a durable peer writes to grain storage.</summary>
    public static ChordPeerRecord Of(ChordNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return new()
        {
            Member = true,
            Parameters = node.Parameters,
            Address = node.Address,
            Predecessor = node.Predecessor,
            Successors = node.Successors.Nodes.ToList(),
            Fingers = node.Fingers.Runs.ToList(),
            Items = node.Store.Items.ToList(),
            NextFinger = node.NextFinger,
            LookupMessages = node.Messages.Lookup,
            MaintenanceMessages = node.Messages.Maintenance,
        };
    }

    /// <summary>The member this record was written by; replicas are pushed again at its next round.</summary>
    public ChordNode ToNode(NodeId self, ChordHost host)
    {
        var node = new ChordNode(Parameters!, self, Address, host)
        {
            Predecessor = Predecessor,
            NextFinger = NextFinger,
            Messages = { Lookup = LookupMessages, Maintenance = MaintenanceMessages },
        };
        node.Successors.Replace(Successors);
        node.Fingers.Replace(Fingers);
        node.Take(Items);
        return node;
    }
}
