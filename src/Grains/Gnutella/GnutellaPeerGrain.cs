using P2POrleans.Common;
using P2POrleans.Unstructured;
using P2POrleans.Unstructured.Flooding;

namespace P2POrleans.Gnutella;

/// <summary>
/// A Gnutella 0.4 servent. Thin: every routing rule (TTL/Hops, seen table, reverse path, Push
/// routes, pong and query caches) is <see cref="Servent"/>'s, the rest of the servent's rules are
/// <see cref="GnutellaNode"/>'s; <see cref="WireServent"/> carries its descriptors as bytes between
/// grains. Reentrant: a flood's originator is called back in the rounds it drives; state is re-read
/// after every await.
/// </summary>
[Orleans.Concurrency.Reentrant]
[CollectionAgeLimit(AlwaysActive = true)]
[Orleans.Placement.RandomPlacement]
public sealed class GnutellaPeerGrain() : UnstructuredPeerGrain<GnutellaNode>(GnutellaParameters.Name), IGnutellaPeerGrain
{
    private WireServent? _wire;

    /// <summary>The wire of the current membership (set with the node, so it exists whenever <see cref="UnstructuredPeerGrain{TNode}.Node"/> does).</summary>
    private WireServent Wire
    {
        get
        {
            _ = Node;
            return _wire!;
        }
    }

    private IGnutellaPeerGrain Peer(int node) => PeerGrain<IGnutellaPeerGrain>(node);

    private IFloodNodeGrain FloodNode(int node) => Peer(node);

    public Task InitAsync(ServentSetup setup)
    {
        EnsureNotMember();
        var node = new GnutellaNode(Self, setup);
        _wire = new WireServent(Self, node.Servent, Protocol);
        Start(node);
        return Task.CompletedTask;
    }

    public Task ConnectAsync(int neighbour)
    {
        Node.Connect(neighbour);
        return Task.CompletedTask;
    }

    public Task DisconnectAsync(int neighbour)
    {
        Node.Disconnect(neighbour);
        return Task.CompletedTask;
    }

    public async Task LeaveAsync()
    {
        var neighbours = Node.Neighbours.ToList();
        Stop();
        foreach (var n in neighbours)
        {
            try
            {
                await Peer(n).DisconnectAsync(Self);
            }
            catch (Exception e) when (Unreachable.Is(e))
            {
                // already gone
            }
        }

        await LeaveRegistryAsync();
    }

    public Task TickAsync(long round) => Task.CompletedTask; // pings are driven by the experiments; time comes from the round

    public Task<SharedFile> ShareAsync(string name, uint size) => Task.FromResult(Node.Files.Add(name, size));

    // --- the wire ------------------------------------------------------------------------

    public Task EnqueueAsync(Guid flood, int round, PeerEndpoint from, IReadOnlyList<WireMessage> messages)
    {
        Wire.Enqueue(flood, round, from, messages);
        return Task.CompletedTask;
    }

    public async Task<FloodRoundReport> RunRoundAsync(FloodRound round)
    {
        var (report, delivered) = await Wire.RunRoundAsync(round, FloodNode);
        foreach (var d in delivered)
        {
            // spec 2.2.6: the firewalled servent connects out to the requester and sends the file (GIV)
            if (d.Descriptor.Payload is Push push && Current is { } node && node.Giv(push) is { } giv)
            {
                await Peer(giv.To).GivAsync(node.Servent.ServentId, giv.File, Self);
            }
        }

        return report;
    }

    // --- searches driven by the client ---------------------------------------------------

    public async Task<QueryOutcome> QueryAsync(string text, int? ttl)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = QueryTtl.Resolve(Node.Parameters, ttl);
        using var activity = UnstructuredTelemetry.StartQuery(Protocol, Overlay, text, Self);
        var now = await NowAsync();
        var summary = await RunFloodAsync(Node.Servent.StartQuery(text, now, 0, (byte)t), now);
        var hits = FloodRunner.HitsAt(Self, summary.Delivered);
        var outcome = new QueryOutcome(Protocol, text, Self, t, hits, summary.Reached.Order().ToList(), summary.Sent,
            hits.Count > 0 ? hits[0].PathBack.Count - 1 : null, null) { Waves = summary.Waves };
        UnstructuredTelemetry.Complete(activity, outcome, summary.Rounds);
        return outcome;
    }

    public async Task<QueryOutcome> PingAsync(int? ttl)
    {
        var t = QueryTtl.Resolve(Node.Parameters, ttl);
        using var activity = UnstructuredTelemetry.StartQuery(Protocol, Overlay, "(ping)", Self);
        var now = await NowAsync();
        var summary = await RunFloodAsync(Node.Servent.StartPing(now, (byte)t), now);
        var outcome = new QueryOutcome(Protocol, "(ping)", Self, t, [], summary.Reached.Order().ToList(), summary.Sent, null, null) { Waves = summary.Waves };
        UnstructuredTelemetry.Complete(activity, outcome, summary.Rounds);
        return outcome;
    }

    public async Task<FetchOutcome> FetchAsync(string text, int? ttl)
    {
        var search = await QueryAsync(text, ttl);
        using var activity = P2PTelemetry.Source.StartActivity(Protocol + ".fetch");
        activity?.SetTag("p2p.overlay", Overlay);
        activity?.SetTag("p2p.key", text);
        if (search.Hits.Count == 0)
        {
            return new FetchOutcome(search, [], null, "none", [], 0, 0, $"no peer within TTL {search.Ttl} shares '{text}'");
        }

        var probed = await HostProbe.ProbeAsync(Protocol, Self, search, new NetworkModel(Node.Parameters.Seed), n => Peer(n).ProbeAsync());
        var hosts = probed.Select(p => p.Host).ToList();
        if (HostProbe.Choose(probed.Where(p => Node.CanDownloadFrom(p.Host)).ToList()) is not { } best)
        {
            return new FetchOutcome(search, hosts, null, "none", [], 0, 0, "no holder of the file answered the ping (or all are firewalled like us)");
        }

        var (chosenHost, chosen) = best;

        activity?.SetTag("p2p.owner", chosen.Node);
        if (!chosenHost.Firewalled)
        {
            var file = await Peer(chosen.Node).DownloadAsync(chosen.File.Index, Self);
            activity?.SetTag("p2p.route", "direct");
            return new FetchOutcome(search, hosts, chosen, "direct", [], file.Size, BestHostSelector.EstimatedMs(chosenHost, file.Size), null);
        }

        // Push (spec 2.2.6): routed back along the QueryHit's path by servent id; the host connects out
        var now = await NowAsync();
        var summary = await RunFloodAsync(Node.Servent.StartPush(chosen.ServentId, chosen.File.Index, now), now);
        var pushed = summary.Delivered.FirstOrDefault(d => d.Descriptor.Payload is Push);
        activity?.SetTag("p2p.route", "push");
        activity?.SetTag("p2p.push.path", pushed is null ? "" : string.Join(" ", pushed.Path));
        if (Node.ReceivedFrom(chosen.ServentId, chosen.File.Index) is { } received)
        {
            return new FetchOutcome(search, hosts, chosen, "push", pushed?.Path ?? [], received.Size,
                BestHostSelector.EstimatedMs(chosenHost, received.Size) + summary.Rounds, null);
        }

        return new FetchOutcome(search, hosts, chosen, "push", pushed?.Path ?? [], 0, 0, "the Push found no route back to the firewalled host");
    }

    public Task<PeerProbe> ProbeAsync() => Task.FromResult(Node.Probe);

    public Task<SharedFile> DownloadAsync(uint fileIndex, int requester) => Task.FromResult(Node.Download(fileIndex));

    public Task GivAsync(Guid serventId, SharedFile file, int from)
    {
        Node.Received(serventId, file);
        return Task.CompletedTask;
    }

    public Task<UnstructuredPeerView> ViewAsync() => Task.FromResult(Node.View(Wire.Rejected));

    private async Task<FloodSummary> RunFloodAsync(Originated start, TimeSpan now)
    {
        var flood = Guid.NewGuid();
        var (recipients, sent) = await Wire.OriginateAsync(flood, start, FloodNode);
        return await FloodRunner.RunAsync(Protocol, flood, start.Descriptor, Self, recipients, sent, now, FloodNode);
    }

    private async Task<TimeSpan> NowAsync()
    {
        var info = await Registry.GetAsync();
        return Node.TimeOf(info?.Round ?? 0);
    }
}
