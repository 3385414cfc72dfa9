using System.Collections.Immutable;

namespace P2POrleans.Common;

/// <summary>One silo's copy of an overlay's configuration and membership (immutable: readers need no lock).</summary>
public sealed record OverlayReplica(
    string Name,
    OverlayVersion Version,
    OverlayParameters? Parameters,
    DateTimeOffset CreatedAt,
    long Round,
    int NextHost,
    ImmutableSortedSet<NodeId> Members)
{
    /// <summary>False for a tombstone (the overlay was deleted).</summary>
    public bool Exists => Parameters is not null;

    public OverlayInfo? Info => Parameters is null ? null : new OverlayInfo(Name, Parameters, Members.Count, Round, CreatedAt);

    public static OverlayReplica From(OverlayChange full) =>
        new(full.Name, full.Version, full.Parameters, full.CreatedAt, full.Round, full.NextHost, [.. full.Added]);

    /// <summary>This replica as a full change, e.g. for a registry restoring itself or a silo catching up.</summary>
    public OverlayChange ToFull() => new(Name, Version, true, Parameters, CreatedAt, Round, NextHost, [.. Members], []);

    /// <summary>The partial <paramref name="change"/> applied on top of this replica (the caller checked the versions).</summary>
    public OverlayReplica With(OverlayChange change) => this with
    {
        Version = change.Version,
        Parameters = change.Parameters,
        CreatedAt = change.CreatedAt,
        Round = change.Round,
        NextHost = change.NextHost,
        Members = Members.Except(change.Removed).Union(change.Added),
    };
}
