
namespace P2POrleans.Unstructured.Flooding;

/// <summary>
/// The routing state of one Gnutella 0.4 servent (spec section 2.3), free of any transport: it
/// takes an incoming descriptor and returns what to send to which neighbour. A grain holds one and
/// sends what it is told. Rules:
/// <list type="bullet">
/// <item>Ping, Query and Push are dropped when their (descriptor id, type) was seen before.</item>
/// <item>Before forwarding, TTL is decremented and Hops incremented; a descriptor whose TTL reaches 0 is not forwarded.</item>
/// <item>Ping and Query go to every (non-leaf) neighbour except the one they came from.</item>
/// <item>Pong and QueryHit go back only to the neighbour their Ping/Query came from (else dropped).</item>
/// <item>Push goes to the neighbour the QueryHit carrying its servent id came from (else dropped).</item>
/// <item>An incoming TTL above <see cref="ServentOptions.MaxTtl"/> is clamped (abuse guard).</item>
/// </list>
/// Leaf neighbours (FastTrack children, whose files a supernode indexes) receive no Ping or Query.
/// </summary>
public sealed class Servent
{
    private readonly SortedDictionary<PeerEndpoint, bool> _neighbours = []; // value: is a leaf
    private readonly IQueryResponder _responder;
    private readonly Random _rng;
    private readonly SeenTable _seen;
    private readonly PushRouteTable _pushRoutes;
    private readonly PongCache _pongCache;
    private readonly QueryCache _queryCache;
    private readonly ExpiringMap<(Guid QueryId, Guid ServentId, uint FirstIndex), bool> _routedHits;

    public Servent(ServentIdentity identity, IQueryResponder responder, ServentOptions options, Random rng)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(responder);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rng);
        Identity = identity;
        Options = options;
        _responder = responder;
        _rng = rng;
        _seen = new SeenTable(options.SeenLifetime);
        _pushRoutes = new PushRouteTable(options.PushRouteLifetime);
        _pongCache = new PongCache(options.PongCacheLifetime);
        _queryCache = new QueryCache(options.QueryCacheLifetime, options.QueryCacheMaxHitsPerQuery);
        _routedHits = new(options.SeenLifetime);
    }

    public ServentIdentity Identity { get; }

    public Guid ServentId => Identity.ServentId;

    public PeerEndpoint Endpoint => Identity.Endpoint;

    public ServentOptions Options { get; }

    public ServentCounters Counters { get; } = new();

    public IReadOnlyCollection<PeerEndpoint> Neighbours => _neighbours.Keys;

    public SeenTable Seen => _seen;

    public PushRouteTable PushRoutes => _pushRoutes;

    public PongCache PongCache => _pongCache;

    public QueryCache QueryCache => _queryCache;

    public bool AddNeighbour(PeerEndpoint neighbour, bool isLeaf = false)
    {
        if (neighbour == Endpoint)
        {
            throw new ArgumentException("a servent is not its own neighbour", nameof(neighbour));
        }

        return _neighbours.TryAdd(neighbour, isLeaf);
    }

    public bool RemoveNeighbour(PeerEndpoint neighbour) => _neighbours.Remove(neighbour);

    public bool IsNeighbour(PeerEndpoint peer) => _neighbours.ContainsKey(peer);

    public bool IsLeaf(PeerEndpoint peer) => _neighbours.TryGetValue(peer, out var leaf) && leaf;

    public Originated StartPing(TimeSpan now, byte? ttl = null) => Originate(Ping.Instance, now, ttl);

    public Originated StartQuery(string searchCriteria, TimeSpan now, ushort minimumSpeed = 0, byte? ttl = null)
    {
        var originated = Originate(new Query(minimumSpeed, searchCriteria), now, ttl);
        if (Options.QueryCacheEnabled)
        {
            _queryCache.RememberQuery(originated.Descriptor.Id, new KeywordQuery(searchCriteria).CanonicalKey, now);
        }

        return originated;
    }

    /// <summary>
    /// Asks the servent <paramref name="serventId"/> (which answered with a QueryHit but cannot be
    /// reached directly) to connect out to this servent's address (spec 2.2.6). Nothing is sent
    /// when no QueryHit from that servent passed through here.
    /// </summary>
    public Originated StartPush(Guid serventId, uint fileIndex, TimeSpan now, byte? ttl = null)
    {
        var descriptor = new Descriptor(NewDescriptorId(), CheckTtl(ttl), 0, new Push(serventId, fileIndex, Endpoint.Address, Endpoint.Port));
        _seen.TryAdd(descriptor.Id, PayloadType.Push, null, now);
        var send = new List<Outgoing>();
        if (_pushRoutes.TryGetNextHop(serventId, now, out var next) && _neighbours.ContainsKey(next))
        {
            Add(send, next, descriptor);
        }

        return new Originated(descriptor, send);
    }

    public ServentOutput Receive(PeerEndpoint from, Descriptor descriptor, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        Counters.CountReceived(descriptor.Type);
        if (!_neighbours.ContainsKey(from))
        {
            Counters.NotNeighbour++;
            return ServentOutput.Drop(DropReason.NotNeighbour);
        }

        if (descriptor.Ttl == 0)
        {
            // senders never forward at TTL 0 (spec 2.3); one that arrives so is spent
            Counters.TtlExhausted++;
            return ServentOutput.Drop(DropReason.TtlExhausted);
        }

        if (descriptor.Ttl > Options.MaxTtl)
        {
            Counters.TtlClamped++;
            descriptor = descriptor with { Ttl = Options.MaxTtl };
        }

        switch (descriptor.Payload)
        {
            case Ping or Query or Push when !_seen.TryAdd(descriptor.Id, descriptor.Type, from, now):
                Counters.Duplicates++;
                return ServentOutput.Drop(DropReason.Duplicate);
            case Ping:
                return HandlePing(from, descriptor, now);
            case Query query:
                return HandleQuery(from, descriptor, query, now);
            case Push push:
                return HandlePush(descriptor, push, now);
            case Pong pong:
                if (Options.PongCacheEnabled && pong.Endpoint != Endpoint)
                {
                    _pongCache.Add(pong, now);
                }

                return RouteBack(descriptor, PayloadType.Ping, now);
            case QueryHit hit:
                // with caches several servents may answer for one responder: pass on one copy of each
                // (not in the 0.4 spec, which never drops a routable QueryHit)
                if (Options.QueryCacheEnabled && !_routedHits.TryAdd((descriptor.Id, hit.ServentId, hit.Results[0].FileIndex), true, now))
                {
                    Counters.Duplicates++;
                    return ServentOutput.Drop(DropReason.Duplicate);
                }

                if (hit.ServentId != ServentId)
                {
                    _pushRoutes.Record(hit.ServentId, from, now);
                }

                if (Options.QueryCacheEnabled)
                {
                    _queryCache.AddHit(descriptor.Id, hit, now);
                }

                return RouteBack(descriptor, PayloadType.Query, now);
            default:
                throw new ArgumentException($"unknown payload {descriptor.Payload.GetType().Name}", nameof(descriptor));
        }
    }

    private ServentOutput HandlePing(PeerEndpoint from, Descriptor ping, TimeSpan now)
    {
        var send = new List<Outgoing>();
        var ttl = ResponseTtl(ping);
        Add(send, from, new Descriptor(ping.Id, ttl, 0, new Pong(Endpoint.Port, Endpoint.Address, _responder.FilesShared, _responder.KilobytesShared)));
        if (Options.PongCacheEnabled)
        {
            // answer from the cache only when it fills a whole answer; a thin cache would starve the pinger
            var cached = _pongCache.Fresh(now, Options.PongCacheAnswerCount, from, Endpoint);
            if (cached.Count >= Options.PongCacheAnswerCount)
            {
                Counters.PongCacheAnswers++;
                foreach (var pong in cached)
                {
                    Add(send, from, new Descriptor(ping.Id, ttl, 0, pong));
                }

                return new ServentOutput(send, [], null);
            }
        }

        Flood(from, ping, send);
        return new ServentOutput(send, [], null);
    }

    private ServentOutput HandleQuery(PeerEndpoint from, Descriptor descriptor, Query query, TimeSpan now)
    {
        var send = new List<Outgoing>();
        var ttl = ResponseTtl(descriptor);
        foreach (var hit in _responder.Answer(query, from))
        {
            Counters.QueryHitsGenerated++;
            Add(send, from, new Descriptor(descriptor.Id, ttl, 0, hit));
        }

        if (Options.QueryCacheEnabled)
        {
            var key = new KeywordQuery(query.SearchCriteria).CanonicalKey;
            var cached = _queryCache.Lookup(key, query.MinimumSpeed, from, now);
            if (cached.Count > 0)
            {
                Counters.QueryCacheAnswers++;
                foreach (var hit in cached)
                {
                    Add(send, from, new Descriptor(descriptor.Id, ttl, 0, hit));
                }

                return new ServentOutput(send, [], null);
            }

            _queryCache.RememberQuery(descriptor.Id, key, now);
        }

        Flood(from, descriptor, send);
        return new ServentOutput(send, [], null);
    }

    private ServentOutput HandlePush(Descriptor descriptor, Push push, TimeSpan now)
    {
        if (push.ServentId == ServentId)
        {
            Counters.Delivered++;
            return new ServentOutput([], [descriptor], null);
        }

        if (!_pushRoutes.TryGetNextHop(push.ServentId, now, out var next) || !_neighbours.ContainsKey(next))
        {
            Counters.NoRoute++;
            return ServentOutput.Drop(DropReason.NoRoute);
        }

        return ForwardTo(next, descriptor);
    }

    private ServentOutput RouteBack(Descriptor response, PayloadType requestType, TimeSpan now)
    {
        if (!_seen.TryGetOrigin(response.Id, requestType, now, out var origin))
        {
            Counters.NoRoute++;
            return ServentOutput.Drop(DropReason.NoRoute);
        }

        if (origin is not { } neighbour)
        {
            Counters.Delivered++;
            return new ServentOutput([], [response], null);
        }

        if (!_neighbours.ContainsKey(neighbour))
        {
            Counters.NotNeighbour++;
            return ServentOutput.Drop(DropReason.NotNeighbour);
        }

        return ForwardTo(neighbour, response);
    }

    private ServentOutput ForwardTo(PeerEndpoint next, Descriptor descriptor)
    {
        if (descriptor.Ttl <= 1)
        {
            Counters.TtlExhausted++;
            return ServentOutput.Drop(DropReason.TtlExhausted);
        }

        var send = new List<Outgoing>(1);
        Add(send, next, Hop(descriptor));
        return new ServentOutput(send, [], null);
    }

    /// <summary>Ping and Query: to every non-leaf neighbour but the sender, once TTL/Hops are stepped, unless TTL reaches 0.</summary>
    private void Flood(PeerEndpoint? from, Descriptor descriptor, List<Outgoing> send)
    {
        if (descriptor.Ttl <= 1)
        {
            Counters.NotForwardedTtl++;
            return;
        }

        var next = Hop(descriptor);
        foreach (var (neighbour, isLeaf) in _neighbours)
        {
            if (!isLeaf && neighbour != from)
            {
                Add(send, neighbour, next);
            }
        }
    }

    private Originated Originate(DescriptorPayload payload, TimeSpan now, byte? ttl)
    {
        var descriptor = new Descriptor(NewDescriptorId(), CheckTtl(ttl), 0, payload);
        _seen.TryAdd(descriptor.Id, descriptor.Type, null, now);
        var send = new List<Outgoing>();
        foreach (var (neighbour, isLeaf) in _neighbours)
        {
            if (!isLeaf)
            {
                Add(send, neighbour, descriptor);
            }
        }

        return new Originated(descriptor, send);
    }

    private byte CheckTtl(byte? ttl)
    {
        var value = ttl ?? Options.DefaultTtl;
        ArgumentOutOfRangeException.ThrowIfZero(value, nameof(ttl));
        return Math.Min(value, Options.MaxTtl);
    }

    /// <summary>
    /// A response travels as many links as its request did: the request's Hops after this hop. It
    /// then arrives at the originator with TTL 1 and TTL + Hops stays constant along the way.
    /// </summary>
    private static byte ResponseTtl(Descriptor request) => (byte)Math.Min(byte.MaxValue, request.Hops + 1);

    private static Descriptor Hop(Descriptor descriptor) =>
        descriptor with { Ttl = (byte)(descriptor.Ttl - 1), Hops = (byte)Math.Min(byte.MaxValue, descriptor.Hops + 1) };

    private void Add(List<Outgoing> send, PeerEndpoint to, Descriptor descriptor)
    {
        Counters.CountSent(descriptor.Type);
        send.Add(new Outgoing(to, descriptor));
    }

    private Guid NewDescriptorId()
    {
        Span<byte> bytes = stackalloc byte[16];
        _rng.NextBytes(bytes);
        return new Guid(bytes);
    }
}
