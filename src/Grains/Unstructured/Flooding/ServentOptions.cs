namespace P2POrleans.Unstructured.Flooding;

/// <summary>Parameters of a servent's routing rules and optional caches.</summary>
public sealed record ServentOptions
{
    /// <summary>TTL of descriptors this servent originates (spec: "usually 7").</summary>
    public byte DefaultTtl { get; init; } = 7;

    /// <summary>Abuse guard: an incoming TTL above this is clamped to it before processing.</summary>
    public byte MaxTtl { get; init; } = 7;

    /// <summary>How long a (descriptor id, type) is remembered, for duplicate detection and reverse-path routing.</summary>
    public TimeSpan SeenLifetime { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long the servent id of a QueryHit is remembered for routing Push back.</summary>
    public TimeSpan PushRouteLifetime { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Answer a Ping from cached Pongs instead of flooding it (the pong-caching fix).</summary>
    public bool PongCacheEnabled { get; init; }

    public TimeSpan PongCacheLifetime { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>A Ping is answered from the cache when it holds this many live Pongs, and with that many.</summary>
    public int PongCacheAnswerCount { get; init; } = 10;

    /// <summary>Answer a repeated Query from the QueryHits cached for it instead of flooding it.</summary>
    public bool QueryCacheEnabled { get; init; }

    public TimeSpan QueryCacheLifetime { get; init; } = TimeSpan.FromMinutes(5);

    public int QueryCacheMaxHitsPerQuery { get; init; } = 64;

    public static ServentOptions Default { get; } = new();

    /// <summary>The options of a peer of an overlay: its TTLs and which caches are on (a Gnutella servent, a FastTrack supernode).</summary>
    public static ServentOptions For(UnstructuredParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return new ServentOptions
        {
            DefaultTtl = (byte)parameters.Ttl,
            MaxTtl = (byte)parameters.MaxTtl,
            PongCacheEnabled = parameters.PongCaching,
            QueryCacheEnabled = parameters.QueryCaching,
        };
    }
}
