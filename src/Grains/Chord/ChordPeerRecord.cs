using P2POrleans.Common;

namespace P2POrleans.Chord;

/// <summary>
/// What a durable Chord peer persists (issue 9): enough to be a working member with its keys when
/// it is reactivated on another silo. Fingers ride along with the other writes but never cause one
/// (see <c>ChordPeerGrain.PersistAsync</c>). Volatile peers never write it.
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
}
