namespace P2POrleans.BitTorrent.Swarm;

/// <summary>The driver's bookkeeping of one member: role, arrival, what it holds, when it finished.</summary>
public sealed class SwarmMemberRecord(PeerId peer, PeerBehaviour behaviour, long arrivalTick, int pieces)
{
    public PeerId Peer { get; } = peer;

    public PeerBehaviour Behaviour { get; } = behaviour;

    public long ArrivalTick { get; } = arrivalTick;

    public bool Started { get; set; }

    /// <summary>Started and neither left nor found dead.</summary>
    public bool Active { get; set; }

    public bool Left { get; set; }

    public bool Dead { get; set; }

    /// <summary>Its last report asked for more peers.</summary>
    public bool NeedsPeers { get; set; }

    public double? CompletedAt { get; set; }

    /// <summary>The pieces it announced, as the driver counted them from its reports.</summary>
    public BitField Have { get; } = new(pieces);

    public bool IsLeecher => Behaviour != PeerBehaviour.Seed;
}
