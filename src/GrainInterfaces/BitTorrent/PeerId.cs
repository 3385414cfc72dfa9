namespace P2POrleans.BitTorrent;

/// <summary>
/// Identifies a peer of a swarm (BEP 3 calls it the peer id; here any stable string, e.g. the
/// swarm-member grain key). Pure classes key their per-peer state by it.
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.bt.PeerId")]
public readonly record struct PeerId([property: Id(0)] string Value)
{
    public override string ToString() => Value;
}
