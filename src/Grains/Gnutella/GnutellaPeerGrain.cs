using System.Diagnostics;
using P2POrleans.Common;
using P2POrleans.Unstructured;
using P2POrleans.Unstructured.Flooding;

namespace P2POrleans.Gnutella;

/// <summary>
/// A Gnutella 0.4 servent. Thin: every routing rule (TTL/Hops, seen table, reverse path, Push
/// routes, pong and query caches) is <see cref="Servent"/>'s; <see cref="WireServent"/> carries its
/// descriptors as bytes between grains. Reentrant: a flood's originator is called back in the
/// rounds it drives; state is re-read after every await.
/// </summary>
[Orleans.Concurrency.Reentrant]
[CollectionAgeLimit(AlwaysActive = true)]
[Orleans.Placement.RandomPlacement]
public sealed class GnutellaPeerGrain : Grain, IGnutellaPeerGrain
{
    private const string Protocol = GnutellaParameters.Name;

    private string _overlay = "";
    private int _node;
    private State? _state;

    private sealed class State(GnutellaParameters parameters, WireServent wire, MutableFilesResponder files, bool firewalled)
    {
        public GnutellaParameters Parameters { get; } = parameters;

        public WireServent Wire { get; } = wire;

        public MutableFilesResponder Files { get; } = files;

        public bool Firewalled { get; } = firewalled;

        public Dictionary<(Guid Servent, uint Index), SharedFile> Received { get; } = [];
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (overlay, id) = PeerKeys.Parse(this.GetPrimaryKeyString());
        (_overlay, _node) = (overlay, UnstructuredNodes.NodeOf(id));
        return Task.CompletedTask;
    }

    private State Live => _state ?? throw new PeerUnreachableException($"gnutella peer {_node} of '{_overlay}' is not a member");

    private IOverlayRegistryGrain Registry => GrainFactory.GetGrain<IOverlayRegistryGrain>(_overlay);

    private IGnutellaPeerGrain Peer(int node) => GrainFactory.GetGrain<IGnutellaPeerGrain>(UnstructuredNodes.Key(_overlay, node));

    private IFloodNodeGrain FloodNode(int node) => Peer(node);

    public Task InitAsync(ServentSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        if (_state is not null)
        {
            throw new P2PException($"peer {_node} is already a member of '{_overlay}'");
        }

        var p = setup.Parameters;
        var identity = UnstructuredWorld.Identity(p.Seed, _node);
        var files = new MutableFilesResponder(identity, new SharedLibrary(setup.Files));
        var options = new ServentOptions
        {
            DefaultTtl = (byte)p.Ttl,
            MaxTtl = (byte)p.MaxTtl,
            PongCacheEnabled = p.PongCaching,
            QueryCacheEnabled = p.QueryCaching,
        };
        var servent = new Servent(identity, files, options, SeededRandom.Create(p.Seed, "descriptors", UnstructuredNodes.IdOf(_node)));
        foreach (var n in setup.Neighbours)
        {
            servent.AddNeighbour(UnstructuredNodes.EndpointOf(n));
        }

        _state = new State(p, new WireServent(_node, servent, Protocol), files, setup.Firewalled);
        P2PTelemetry.ActivePeers.Add(1);
        return Task.CompletedTask;
    }

    public Task ConnectAsync(int neighbour)
    {
        Live.Wire.Servent.AddNeighbour(UnstructuredNodes.EndpointOf(neighbour));
        return Task.CompletedTask;
    }

    public Task DisconnectAsync(int neighbour)
    {
        Live.Wire.Servent.RemoveNeighbour(UnstructuredNodes.EndpointOf(neighbour));
        return Task.CompletedTask;
    }

    public async Task LeaveAsync()
    {
        var neighbours = Live.Wire.Servent.Neighbours.Select(UnstructuredNodes.NodeOf).ToList();
        Stop();
        foreach (var n in neighbours)
        {
            try
            {
                await Peer(n).DisconnectAsync(_node);
            }
            catch (Exception e) when (Unreachable.Is(e))
            {
                // already gone
            }
        }

        await Registry.RemoveMemberAsync(UnstructuredNodes.IdOf(_node));
    }

    public async Task FailAsync()
    {
        _ = Live;
        Stop();
        await Registry.RemoveMemberAsync(UnstructuredNodes.IdOf(_node));
    }

    public Task StopAsync()
    {
        if (_state is not null)
        {
            Stop();
        }

        return Task.CompletedTask;
    }

    public Task TickAsync(long round) => Task.CompletedTask; // pings are driven by the experiments; time comes from the round

    public Task<bool> IsMemberAsync() => Task.FromResult(_state is not null);

    public Task<SharedFile> ShareAsync(string name, uint size) => Task.FromResult(Live.Files.Add(name, size));

    // --- the wire ------------------------------------------------------------------------

    public Task EnqueueAsync(Guid flood, int round, PeerEndpoint from, IReadOnlyList<WireMessage> messages)
    {
        Live.Wire.Enqueue(flood, round, from, messages);
        return Task.CompletedTask;
    }

    public async Task<FloodRoundReport> RunRoundAsync(FloodRound round)
    {
        var state = Live;
        var (report, delivered) = await state.Wire.RunRoundAsync(round, FloodNode);
        foreach (var d in delivered)
        {
            if (d.Descriptor.Payload is Push push && _state is { } s)
            {
                // spec 2.2.6: the firewalled servent connects out to the requester and sends the file (GIV)
                var file = s.Files.Library.Find(push.FileIndex);
                if (file is not null)
                {
                    await Peer(UnstructuredNodes.NodeOf(push.Endpoint)).GivAsync(s.Wire.Servent.ServentId, file, _node);
                }
            }
        }

        return report;
    }

    // --- searches driven by the client ---------------------------------------------------

    public async Task<QueryOutcome> QueryAsync(string text, int? ttl)
    {
        ArgumentNullException.ThrowIfNull(text);
        var state = Live;
        var t = CheckTtl(state, ttl);
        using var activity = UnstructuredTelemetry.StartQuery(Protocol, _overlay, text, _node);
        var now = await NowAsync(state);
        state = Live;
        var start = state.Wire.Servent.StartQuery(text, now, 0, (byte)t);
        var summary = await RunFloodAsync(state, start, now);
        var hits = FloodRunner.HitsAt(_node, summary.Delivered);
        var outcome = new QueryOutcome(Protocol, text, _node, t, hits, summary.Reached.Order().ToList(), summary.Sent,
            hits.Count > 0 ? hits[0].PathBack.Count - 1 : null, null);
        UnstructuredTelemetry.Complete(activity, outcome, summary.Rounds);
        return outcome;
    }

    public async Task<QueryOutcome> PingAsync(int? ttl)
    {
        var state = Live;
        var t = CheckTtl(state, ttl);
        using var activity = UnstructuredTelemetry.StartQuery(Protocol, _overlay, "(ping)", _node);
        var now = await NowAsync(state);
        state = Live;
        var start = state.Wire.Servent.StartPing(now, (byte)t);
        var summary = await RunFloodAsync(state, start, now);
        var outcome = new QueryOutcome(Protocol, "(ping)", _node, t, [], summary.Reached.Order().ToList(), summary.Sent, null, null);
        UnstructuredTelemetry.Complete(activity, outcome, summary.Rounds);
        return outcome;
    }

    public async Task<FetchOutcome> FetchAsync(string text, int? ttl)
    {
        var search = await QueryAsync(text, ttl);
        using var activity = P2PTelemetry.Source.StartActivity(Protocol + ".fetch");
        activity?.SetTag("p2p.overlay", _overlay);
        activity?.SetTag("p2p.key", text);
        if (search.Hits.Count == 0)
        {
            return new FetchOutcome(search, [], null, "none", [], 0, 0, $"no peer within TTL {search.Ttl} shares '{text}'");
        }

        var wanted = search.Hits[0].File.Name;
        var probed = new List<(ProbedHost, FoundFile)>();
        var network = new NetworkModel(Live.Parameters.Seed);
        foreach (var hit in search.Hits.Where(h => h.File.Name == wanted))
        {
            ProbedHost host;
            try
            {
                var probe = await Peer(hit.Node).ProbeAsync();
                host = new ProbedHost(hit.Node, hit.Endpoint, network.Rtt(UnstructuredNodes.IdOf(_node), UnstructuredNodes.IdOf(hit.Node)),
                    probe.SpeedKbps * 1000.0 / 8, probe.Firewalled);
            }
            catch (Exception e) when (Unreachable.Is(e))
            {
                host = new ProbedHost(hit.Node, hit.Endpoint, null, 0, false);
            }

            probed.Add((host, hit));
        }

        var hosts = probed.Select(p => p.Item1).ToList();
        var state = Live;
        // a firewalled requester cannot take a GIV from a firewalled host (DownloadRoute.Failed)
        var usable = probed.Where(p => !(p.Item1.Firewalled && state.Firewalled)).ToList();
        if (HostProbe.Choose(usable) is not { } best)
        {
            return new FetchOutcome(search, hosts, null, "none", [], 0, 0, "no holder of the file answered the ping (or all are firewalled like us)");
        }

        var (chosenHost, chosen) = best;
        activity?.SetTag("p2p.owner", chosen.Node);
        if (!chosenHost.Firewalled)
        {
            var file = await Peer(chosen.Node).DownloadAsync(chosen.File.Index, _node);
            activity?.SetTag("p2p.route", "direct");
            return new FetchOutcome(search, hosts, chosen, "direct", [], file.Size, HostProbe.EstimatedMs(chosenHost, file.Size), null);
        }

        // Push (spec 2.2.6): routed back along the QueryHit's path by servent id; the host connects out
        var now = await NowAsync(Live);
        state = Live;
        var push = state.Wire.Servent.StartPush(chosen.ServentId, chosen.File.Index, now);
        var summary = await RunFloodAsync(state, push, now);
        var pushed = summary.Delivered.FirstOrDefault(d => d.Descriptor.Payload is Push);
        activity?.SetTag("p2p.route", "push");
        activity?.SetTag("p2p.push.path", pushed is null ? "" : string.Join(" ", pushed.Path));
        if (Live.Received.TryGetValue((chosen.ServentId, chosen.File.Index), out var received))
        {
            return new FetchOutcome(search, hosts, chosen, "push", pushed?.Path ?? [], received.Size,
                HostProbe.EstimatedMs(chosenHost, received.Size) + summary.Rounds, null);
        }

        return new FetchOutcome(search, hosts, chosen, "push", pushed?.Path ?? [], 0, 0, "the Push found no route back to the firewalled host");
    }

    public Task<PeerProbe> ProbeAsync() => Task.FromResult(new PeerProbe(Live.Wire.Servent.Identity.Speed, Live.Firewalled));

    public Task<SharedFile> DownloadAsync(uint fileIndex, int requester)
    {
        var state = Live;
        if (state.Firewalled)
        {
            throw new P2PException($"peer {_node} is firewalled: connection refused (send a Push)");
        }

        return Task.FromResult(state.Files.Library.Find(fileIndex) ?? throw new P2PException($"peer {_node} has no file {fileIndex}"));
    }

    public Task GivAsync(Guid serventId, SharedFile file, int from)
    {
        Live.Received[(serventId, file.Index)] = file;
        return Task.CompletedTask;
    }

    public Task<UnstructuredPeerView> ViewAsync()
    {
        var state = Live;
        var servent = state.Wire.Servent;
        return Task.FromResult(new UnstructuredPeerView(_node, servent.Endpoint, "servent", state.Files.Library.Files.Count,
            servent.Neighbours.Select(UnstructuredNodes.NodeOf).Order().ToList(), state.Firewalled,
            CountsOf.Sent(servent.Counters), CountsOf.Received(servent.Counters), servent.Counters.Duplicates, state.Wire.Rejected, 0));
    }

    private async Task<FloodSummary> RunFloodAsync(State state, Originated start, TimeSpan now)
    {
        var flood = Guid.NewGuid();
        var (recipients, sent) = await state.Wire.OriginateAsync(flood, start, FloodNode);
        return await FloodRunner.RunAsync(Protocol, flood, start.Descriptor, _node, recipients, sent, now, FloodNode);
    }

    private async Task<TimeSpan> NowAsync(State state)
    {
        var info = await Registry.GetAsync();
        return TimeSpan.FromSeconds((info?.Round ?? 0) * (double)state.Parameters.RoundSeconds);
    }

    private static int CheckTtl(State state, int? ttl)
    {
        var t = ttl ?? state.Parameters.Ttl;
        if (t is < 1 or > 255)
        {
            throw new P2PException($"TTL must be between 1 and 255 (got {t})");
        }

        // the originator clamps to its own maximum, as every servent on the way would
        return Math.Min(t, state.Parameters.MaxTtl);
    }

    private void Stop()
    {
        _state = null;
        P2PTelemetry.ActivePeers.Add(-1);
        DeactivateOnIdle();
    }
}
