using P2POrleans.Common;

namespace P2POrleans.Pastry;

/// <summary>
/// What a durable Pastry peer persists (docs/durability.md): enough to be a working member with its keys when
/// it is reactivated on another silo. The leaf set, routing table, neighbourhood set and counters
/// travel in <see cref="State"/> (the snapshot a converged build installs); routing-table and
/// neighbourhood changes ride along with the other writes but never cause one (see
/// <c>PastryPeerGrain.PersistAsync</c>). Volatile peers never write it.
/// </summary>
[GenerateSerializer, Alias("p2p.pastry.PastryPeerRecord")]
public sealed class PastryPeerRecord
{
    [Id(0)] public bool Member { get; set; }

    [Id(1)] public PastryParameters? Parameters { get; set; }

    [Id(2)] public string Address { get; set; } = "";

    [Id(3)] public PastryPeerState? State { get; set; }

    /// <summary>Every key the peer holds, as root or as replica.</summary>
    [Id(4)] public List<StoredItem> Items { get; set; } = [];
}
