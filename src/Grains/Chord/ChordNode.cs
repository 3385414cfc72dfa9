using P2POrleans.Common;

namespace P2POrleans.Chord;

/// <summary>The state of one joined Chord peer; a grain holds one while it is a member.</summary>
internal sealed class ChordNode
{
    public ChordNode(ChordParameters parameters, NodeId self, string address)
    {
        Parameters = parameters;
        Space = parameters.Space;
        Self = self;
        Address = address;
        Successors = new SuccessorList(self, parameters.Successors);
        Fingers = new FingerTable(Space, self);
        Network = new NetworkModel(parameters.Seed);
    }

    public ChordParameters Parameters { get; }

    public IdSpace Space { get; }

    public NodeId Self { get; }

    public string Address { get; }

    public NodeId? Predecessor { get; set; }

    public SuccessorList Successors { get; }

    public FingerTable Fingers { get; }

    public ChordKeyStore Store { get; } = new();

    public NetworkModel Network { get; }

    /// <summary>Next finger fix_fingers refreshes.</summary>
    public int NextFinger { get; set; }

    /// <summary>Store version last copied to the replicas; -1 forces a push (successors changed).</summary>
    public long ReplicatedVersion { get; set; } = -1;

    public long LookupMessages { get; set; }

    public long MaintenanceMessages { get; set; }

    public ChordPeerState Snapshot()
    {
        var primary = Predecessor is { } p ? Store.InRange(Space, p, Self).Count : Store.Count;
        return new ChordPeerState(Self, Address, Predecessor, Successors.Nodes.ToList(), Fingers.Runs.ToList(),
            Store.Count, primary, LookupMessages, MaintenanceMessages);
    }
}
