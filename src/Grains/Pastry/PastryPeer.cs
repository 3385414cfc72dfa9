using P2POrleans.Common;

namespace P2POrleans.Pastry;

/// <summary>The state of one joined Pastry peer; the grain holds one while it is a member.</summary>
internal sealed class PastryPeer
{
    private const int DeadMemory = 4096;

    public PastryPeer(PastryParameters parameters, string address, PastryNodeState state, NetworkModel network)
    {
        Parameters = parameters;
        Address = address;
        State = state;
        Network = network;
    }

    public PastryParameters Parameters { get; }

    public string Address { get; }

    public PastryNodeState State { get; set; }

    public NetworkModel Network { get; }

    public NodeId Self => State.Id;

    public IdSpace Space => State.Space;

    public PastryKeyStore Store { get; } = new();

    /// <summary>Nodes found dead recently: not learned again from other nodes' (stale) state.</summary>
    public HashSet<NodeId> Dead { get; } = [];

    /// <summary>Routing-table slots whose entry died: repaired lazily at the next rounds (section 2.4).</summary>
    public HashSet<(int Row, int Column)> PendingRepairs { get; } = [];

    /// <summary>(store version, leaf-set hash) at the last complete replication; replication runs when it changes.</summary>
    public (long Store, int Leaves) Replicated { get; set; } = (-1, 0);

    public long LookupMessages { get; set; }

    public long MaintenanceMessages { get; set; }

    public void MarkDead(NodeId node)
    {
        if (Dead.Count >= DeadMemory)
        {
            Dead.Clear();
        }

        Dead.Add(node);
    }

    public int LeafHash()
    {
        var hash = new HashCode();
        foreach (var id in State.LeafSet.Smaller)
        {
            hash.Add(id);
        }

        hash.Add(0);
        foreach (var id in State.LeafSet.Larger)
        {
            hash.Add(id);
        }

        return hash.ToHashCode();
    }

    public PastryPeerState Snapshot() => PastrySnapshots.ToPeerState(State, Address, Store.Count, LookupMessages, MaintenanceMessages);
}
