namespace P2POrleans.Common;

/// <summary>What the registry of a durable overlay persists: its configuration and ground-truth membership.</summary>
[GenerateSerializer, Alias("p2p.OverlayRegistryRecord")]
public sealed class OverlayRegistryRecord
{
    [Id(0)] public OverlayParameters? Parameters { get; set; }

    [Id(1)] public List<NodeId> Members { get; set; } = [];

    [Id(2)] public DateTimeOffset CreatedAt { get; set; }

    [Id(3)] public long Round { get; set; }

    [Id(4)] public int NextHost { get; set; }
}
