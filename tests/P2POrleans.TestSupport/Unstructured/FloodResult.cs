
namespace P2POrleans.Testing.Unstructured;

/// <summary>
/// The outcome of one simulated search. Reached holds every node that processed the Query (the
/// originator included); Messages counts every link transmission caused by the search;
/// QueryPaths gives, for each reached node, the path (originator first) of the copy it accepted.
/// </summary>
public sealed record FloodResult(
    IReadOnlySet<int> Reached,
    long Messages,
    long QueryMessages,
    long QueryHitMessages,
    IReadOnlyList<SimulatedHit> Hits,
    IReadOnlyDictionary<int, IReadOnlyList<int>> QueryPaths)
{
    /// <summary>Hops the first QueryHit to arrive travelled; null when nothing was found.</summary>
    public int? HopsToFirstHit => Hits.Count == 0 ? null : Hits[0].Path.Count - 1;

    public int ResultCount => Hits.Sum(h => h.Hit.HitCount);
}
