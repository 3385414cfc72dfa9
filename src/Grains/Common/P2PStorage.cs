namespace P2POrleans.Common;

/// <summary>
/// The grain storage provider that durable overlays persist peer state to: in-memory by default,
/// Redis when the silo is configured for it. Volatile overlays never write to it.
/// </summary>
public static class P2PStorage
{
    public const string Name = "p2p";
}
