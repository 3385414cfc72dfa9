namespace P2POrleans.Common;

/// <summary>
/// The overlays as this silo knows them: what the registries published (docs/cluster.md, "No grain on
/// every request's path"). Pure and thread-safe: the replica service writes it, the catalog and the
/// registries on the same silo read it. Changes of one overlay are ordered by <see cref="OverlayVersion"/>.
/// </summary>
public sealed class OverlayReplicaStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, OverlayReplica> _overlays = new(StringComparer.Ordinal);

    public enum Outcome
    {
        /// <summary>The change is now part of the replica.</summary>
        Applied,

        /// <summary>The replica already holds this change or a newer one: nothing to do.</summary>
        Stale,

        /// <summary>A partial change whose predecessor never arrived: the replica needs a full copy.</summary>
        Gap,
    }

    public Outcome Apply(OverlayChange change)
    {
        lock (_lock)
        {
            var current = _overlays.GetValueOrDefault(change.Name);
            if (change.Full)
            {
                if (current is not null && current.Version >= change.Version)
                {
                    return Outcome.Stale;
                }

                _overlays[change.Name] = OverlayReplica.From(change);
                return Outcome.Applied;
            }

            if (current is not null && current.Version >= change.Version)
            {
                return Outcome.Stale;
            }

            if (current is null || current.Version.Next != change.Version)
            {
                return Outcome.Gap;
            }

            _overlays[change.Name] = current.With(change);
            return Outcome.Applied;
        }
    }

    /// <summary>The replica of <paramref name="name"/>, a tombstone if it was deleted, null if never heard of.</summary>
    public OverlayReplica? Get(string name)
    {
        lock (_lock)
        {
            return _overlays.GetValueOrDefault(name);
        }
    }

    /// <summary>Every replica, tombstones included, in name order.</summary>
    public IReadOnlyList<OverlayReplica> All()
    {
        lock (_lock)
        {
            return [.. _overlays.Values.OrderBy(r => r.Name, StringComparer.Ordinal)];
        }
    }
}
