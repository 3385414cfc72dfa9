using P2POrleans.Common;

namespace P2POrleans.Unstructured;

/// <summary>The TTL a searcher gives its flood: the overlay's unless asked for another, clamped to the overlay's maximum.</summary>
public static class QueryTtl
{
    public static int Resolve(UnstructuredParameters parameters, int? ttl)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var t = ttl ?? parameters.Ttl;
        if (t is < 1 or > 255)
        {
            throw new P2PException($"TTL must be between 1 and 255 (got {t})");
        }

        // the originator clamps to its own maximum, as every servent on the way would (spec 2.3)
        return Math.Min(t, parameters.MaxTtl);
    }
}
