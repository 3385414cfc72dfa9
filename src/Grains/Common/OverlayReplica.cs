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

    /// <summary>
    /// The <paramref name="count"/> members that follow <paramref name="id"/> in id order, wrapping around, without
    /// <paramref name="id"/> itself: a binary search in the sorted set, then the next ones by index (no copy of the list).
    /// </summary>
    public IReadOnlyList<NodeId> MembersAfter(NodeId id, int count)
    {
        var after = new List<NodeId>(Math.Clamp(count, 0, Members.Count));
        var at = Members.IndexOf(id);
        var start = at >= 0 ? at + 1 : ~at;
        for (var k = 0; k < Members.Count && after.Count < count; k++)
        {
            if (Members[(start + k) % Members.Count] is var m && m != id)
            {
                after.Add(m);
            }
        }

        return after;
    }

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
