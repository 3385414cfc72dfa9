namespace P2POrleans.Unstructured;

/// <summary>A peer's answer to a client's ping before a download: its speed and whether it accepts connections.</summary>
[GenerateSerializer, Immutable, Alias("p2p.unstructured.PeerProbe")]
public sealed record PeerProbe(
    [property: Id(0)] uint SpeedKbps,
    [property: Id(1)] bool Firewalled);
