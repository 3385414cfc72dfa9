namespace P2POrleans.Unstructured.Flooding;

/// <summary>What a servent received, sent and dropped, so the effect of each rule and cache can be measured.</summary>
public sealed class ServentCounters
{
    private readonly long[] _received = new long[256];
    private readonly long[] _sent = new long[256];

    public long TotalReceived { get; private set; }

    public long TotalSent { get; private set; }

    public long Duplicates { get; internal set; }

    /// <summary>Ping/Query not forwarded because their TTL reached 0 here.</summary>
    public long NotForwardedTtl { get; internal set; }

    /// <summary>Routed descriptors (Pong, QueryHit, Push) or arrivals with TTL 0 dropped for TTL.</summary>
    public long TtlExhausted { get; internal set; }

    public long TtlClamped { get; internal set; }

    public long NoRoute { get; internal set; }

    public long NotNeighbour { get; internal set; }

    public long PongCacheAnswers { get; internal set; }

    public long QueryCacheAnswers { get; internal set; }

    /// <summary>QueryHits this servent generated from its own responder.</summary>
    public long QueryHitsGenerated { get; internal set; }

    public long Delivered { get; internal set; }

    public long Received(PayloadType type) => _received[(byte)type];

    public long Sent(PayloadType type) => _sent[(byte)type];

    internal void CountReceived(PayloadType type)
    {
        _received[(byte)type]++;
        TotalReceived++;
    }

    internal void CountSent(PayloadType type)
    {
        _sent[(byte)type]++;
        TotalSent++;
    }
}
