using P2POrleans.Common;
using P2POrleans.Unstructured;
using P2POrleans.Unstructured.Flooding;

namespace P2POrleans.Napster;

/// <summary>
/// A Napster client: joins through the server's introducer, uploads its file list on connect,
/// searches the server, then pings every holder (simulated RTT, rate from its speed) and fetches
/// from the best (<see cref="BestHostSelector"/>). Each round it checks the server still knows it
/// and logs in again if not (that is how a restarted server's directory is rebuilt).
/// </summary>
[Orleans.Concurrency.Reentrant]
[CollectionAgeLimit(AlwaysActive = true)]
[Orleans.Placement.RandomPlacement]
public sealed class NapsterPeerGrain : Grain, INapsterPeerGrain
{
    private const string Protocol = NapsterParameters.Name;
    private const int MaxResults = 100;

    private string _overlay = "";
    private int _node;
    private State? _state;

    private sealed class State(NapsterParameters parameters, MutableFilesResponder files, ServentIdentity identity)
    {
        public NapsterParameters Parameters { get; } = parameters;

        public MutableFilesResponder Files { get; } = files;

        public ServentIdentity Identity { get; } = identity;

        public IReadOnlyList<PeerEndpoint> Introduced { get; set; } = [];

        public long Uploads { get; set; }

        public DescriptorCounts Sent { get; set; } = DescriptorCounts.Zero;
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (overlay, id) = PeerKeys.Parse(this.GetPrimaryKeyString());
        (_overlay, _node) = (overlay, UnstructuredNodes.NodeOf(id));
        return Task.CompletedTask;
    }

    private State Live => _state ?? throw new PeerUnreachableException($"napster peer {_node} of '{_overlay}' is not a member");

    private INapsterServerGrain Server => GrainFactory.GetGrain<INapsterServerGrain>(_overlay);

    private IOverlayRegistryGrain Registry => GrainFactory.GetGrain<IOverlayRegistryGrain>(_overlay);

    private INapsterPeerGrain Peer(int node) => GrainFactory.GetGrain<INapsterPeerGrain>(UnstructuredNodes.Key(_overlay, node));

    private PeerEndpoint Endpoint => UnstructuredNodes.EndpointOf(_node);

    public async Task JoinAsync(NapsterParameters parameters, IReadOnlyList<SharedFile> files)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (_state is not null)
        {
            throw new P2PException($"peer {_node} is already a member of '{_overlay}'");
        }

        var identity = UnstructuredWorld.Identity(parameters.Seed, _node);
        var state = new State(parameters, new MutableFilesResponder(identity, new SharedLibrary(files)), identity);
        state.Introduced = await Server.JoinAsync(Endpoint, files); // throws while the server is down: nothing changed
        _state = state;
        P2PTelemetry.ActivePeers.Add(1);
        await Registry.AddMemberAsync(UnstructuredNodes.IdOf(_node));
    }

    public async Task LeaveAsync()
    {
        _ = Live;
        Stop();
        try
        {
            await Server.LogoutAsync(Endpoint);
        }
        catch (P2PException)
        {
            // the server is down: it forgot us anyway
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

    /// <summary>Keep-alive: a server that restarted does not know us; log in again with the file list.</summary>
    public async Task TickAsync(long round)
    {
        if (_state is not { } state)
        {
            return;
        }

        try
        {
            if (!await Server.IsOnlineAsync(Endpoint) && _state is not null)
            {
                await Server.LoginAsync(Endpoint, state.Files.Library.Files);
                P2PTelemetry.CountMessage(Protocol, P2PTelemetry.MaintenanceKind, "Login");
            }
        }
        catch (P2PException)
        {
            // the server is down; try again next round
        }
    }

    public Task<bool> IsMemberAsync() => Task.FromResult(_state is not null);

    public async Task<SharedFile> ShareAsync(string name, uint size)
    {
        var state = Live;
        var file = state.Files.Add(name, size);
        await Server.LoginAsync(Endpoint, state.Files.Library.Files); // the new list replaces the old one
        return file;
    }

    public async Task<QueryOutcome> SearchAsync(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        _ = Live;
        using var activity = UnstructuredTelemetry.StartQuery(Protocol, _overlay, text, _node);
        var outcome = await SearchCoreAsync(text);
        UnstructuredTelemetry.Complete(activity, outcome, outcome.Success ? 2 * RttToServer() : 0);
        return outcome;
    }

    public async Task<FetchOutcome> FetchAsync(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        _ = Live;
        using var activity = P2PTelemetry.Source.StartActivity(Protocol + ".fetch");
        activity?.SetTag("p2p.overlay", _overlay);
        activity?.SetTag("p2p.key", text);
        var search = await SearchAsync(text);
        if (!search.Success || search.Hits.Count == 0)
        {
            return new FetchOutcome(search, [], null, "none", [], 0, 0, search.Error ?? $"nobody online shares '{text}'");
        }

        // ping every holder of the first title found (the client's "ping the candidates", Napster 1999)
        var wanted = search.Hits[0].File.Name;
        var network = new NetworkModel(Live.Parameters.Seed);
        var probed = new List<(ProbedHost, FoundFile)>();
        var pings = DescriptorCounts.Zero;
        foreach (var hit in search.Hits.Where(h => h.File.Name == wanted))
        {
            using var hop = P2PTelemetry.StartHop(Protocol, probed.Count + 1, hit.Node.ToString(System.Globalization.CultureInfo.InvariantCulture));
            pings += new DescriptorCounts(1, 0, 0, 0, 0);
            try
            {
                var probe = await Peer(hit.Node).ProbeAsync();
                pings += new DescriptorCounts(0, 1, 0, 0, 0);
                var rtt = network.Rtt(UnstructuredNodes.IdOf(_node), UnstructuredNodes.IdOf(hit.Node));
                hop?.SetTag("p2p.rtt_ms", rtt);
                probed.Add((new ProbedHost(hit.Node, hit.Endpoint, rtt, probe.SpeedKbps * 1000.0 / 8, probe.Firewalled), hit));
            }
            catch (Exception e) when (Unreachable.Is(e))
            {
                // detected dead: tell the server, which drops its files
                hop?.SetTag("p2p.dead", true);
                probed.Add((new ProbedHost(hit.Node, hit.Endpoint, null, 0, false), hit));
                await Server.ReportDeadAsync(hit.Endpoint);
            }
        }

        var hosts = probed.Select(p => p.Item1).ToList();
        search = search with { Messages = search.Messages + pings };
        if (HostProbe.Choose(probed) is not { } best)
        {
            return new FetchOutcome(search, hosts, null, "none", [], 0, 0, $"no holder of '{wanted}' answered the ping");
        }

        var (host, chosen) = best;
        var file = await Peer(chosen.Node).DownloadAsync(chosen.File.Index, _node);
        activity?.SetTag("p2p.owner", chosen.Node);
        activity?.SetTag("p2p.bytes", file.Size);
        return new FetchOutcome(search, hosts, chosen, "direct", [], file.Size, HostProbe.EstimatedMs(host, file.Size), null);
    }

    public Task<PeerProbe> ProbeAsync() => Task.FromResult(new PeerProbe(Live.Identity.Speed, false));

    public Task<SharedFile> DownloadAsync(uint fileIndex, int requester)
    {
        var state = Live;
        var file = state.Files.Library.Find(fileIndex) ?? throw new P2PException($"peer {_node} has no file {fileIndex}");
        state.Uploads++;
        return Task.FromResult(file);
    }

    public Task<UnstructuredPeerView> ViewAsync()
    {
        var state = Live;
        return Task.FromResult(new UnstructuredPeerView(_node, Endpoint, "client", state.Files.Library.Files.Count,
            state.Introduced.Select(UnstructuredNodes.NodeOf).ToList(), false, state.Sent, DescriptorCounts.Zero, 0, 0, state.Uploads));
    }

    private async Task<QueryOutcome> SearchCoreAsync(string text)
    {
        var query = new DescriptorCounts(0, 0, 0, 1, 0);
        IReadOnlyList<DirectoryEntry> entries;
        try
        {
            entries = await Server.SearchAsync(text, MaxResults);
        }
        catch (P2PException e)
        {
            return new QueryOutcome(Protocol, text, _node, 1, [], [_node], query, null, e.Message);
        }

        var sent = query + new DescriptorCounts(0, 0, 0, 0, 1);
        if (_state is { } state)
        {
            state.Sent += query;
        }

        P2PTelemetry.CountMessage(Protocol, P2PTelemetry.LookupKind, "Search");
        P2PTelemetry.CountMessage(Protocol, P2PTelemetry.LookupKind, "SearchResponse");
        var hits = entries.Where(e => e.Peer != Endpoint).Select(e =>
        {
            var node = UnstructuredNodes.NodeOf(e.Peer);
            var identity = UnstructuredWorld.Identity(Live.Parameters.Seed, node);
            return new FoundFile(node, e.Peer, e.File, identity.ServentId, identity.Speed, [-1, _node]);
        }).ToList();
        return new QueryOutcome(Protocol, text, _node, 1, hits, [_node], sent, hits.Count > 0 ? 1 : null, null);
    }

    private double RttToServer() => 2 * NetworkModel.BaseOneWayMs + 50; // the server sits in one data centre: a typical 50 ms away

    private void Stop()
    {
        _state = null;
        P2PTelemetry.ActivePeers.Add(-1);
        DeactivateOnIdle();
    }
}
