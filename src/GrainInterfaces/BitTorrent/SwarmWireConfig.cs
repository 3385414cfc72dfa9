namespace P2POrleans.BitTorrent;

/// <summary>Where a member serves the peer wire protocol (BEP 3 over TCP) and the HTTP tracker it announces to.</summary>
[GenerateSerializer, Immutable, Alias("p2p.bt.SwarmWireConfig")]
public sealed record SwarmWireConfig(
    [property: Id(0)] string Host,
    [property: Id(1)] int Port,
    [property: Id(2)] string AnnounceUrl)
{
    public string Endpoint => $"{Host}:{Port}";
}
