namespace P2POrleans.Common;

/// <summary>The durable overlays the directory lists (name to protocol); volatile ones are never written.</summary>
[GenerateSerializer, Alias("p2p.OverlayDirectoryRecord")]
public sealed class OverlayDirectoryRecord
{
    [Id(0)] public Dictionary<string, string> Durable { get; set; } = [];
}
