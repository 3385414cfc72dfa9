namespace P2POrleans.Unstructured.Flooding;

/// <summary>Why a servent dropped an incoming descriptor.</summary>
public enum DropReason
{
    /// <summary>Its (descriptor id, type) was seen before (spec 2.3, rule 4).</summary>
    Duplicate,

    /// <summary>It arrived with TTL 0, or a routed descriptor's TTL reached 0 here.</summary>
    TtlExhausted,

    /// <summary>A Pong/QueryHit with no Ping/Query seen, or a Push for an unknown servent id (spec 2.3, rules 1-3).</summary>
    NoRoute,

    /// <summary>It came from, or would go to, a peer that is not a neighbour.</summary>
    NotNeighbour,
}
