using P2POrleans.Common;

namespace P2POrleans.Chord;

/// <summary>
/// The route of a recursive lookup beyond a forwarder (Chord section 4.3 allows recursive
/// find_successor; docs/chord.md, lookups): the hop this forwarder made, then the route the next peer
/// returned, ending with the owner. Linked and immutable, so a forwarder puts its hop in front of the
/// route it got back without copying it (a list copy at every level costs a lookup O(hops^2)), and
/// Orleans hands it between grains of one silo without a deep copy (docs/bench.md, lookup speed).
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.chord.ChordRoute")]
public sealed record ChordRoute(
    [property: Id(0)] Hop Hop,
    [property: Id(1)] ChordRoute? Rest)
{
    /// <summary>The hops in route order, this one first.</summary>
    public IEnumerable<Hop> Hops
    {
        get
        {
            for (var route = this; route is not null; route = route.Rest)
            {
                yield return route.Hop;
            }
        }
    }
}
