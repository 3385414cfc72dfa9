namespace P2POrleans.Common;

/// <summary>
/// What an overlay's registry sends to the replica on every silo after a change (docs/cluster.md,
/// "No grain on every request's path"): the whole overlay (<see cref="Full"/>) or the members added
/// and removed since the previous change of the same <see cref="Version.Epoch"/>. Null parameters mean
/// the overlay was deleted (a tombstone, so a late message cannot bring it back).
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.OverlayChange")]
public sealed record OverlayChange(
    [property: Id(0)] string Name,
    [property: Id(1)] OverlayVersion Version,
    [property: Id(2)] bool Full,
    [property: Id(3)] OverlayParameters? Parameters,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] long Round,
    [property: Id(6)] int NextHost,
    [property: Id(7)] IReadOnlyList<NodeId> Added,
    [property: Id(8)] IReadOnlyList<NodeId> Removed);
