namespace P2POrleans.Pastry;

/// <summary>Which rule of the routing procedure (paper section 2.2, Table 1) made the decision.</summary>
public enum PastryRouteReason
{
    /// <summary>The key is within the range of the leaf set: the numerically closest of leaves and self.</summary>
    LeafSet = 0,

    /// <summary>The routing-table entry R[l][D_l] that shares one more digit with the key.</summary>
    RoutingTable = 1,

    /// <summary>
    /// The rare case: a known node sharing at least as long a prefix and numerically closer; a
    /// delivery with this reason means no such node is known.
    /// </summary>
    RareCase = 2,
}
