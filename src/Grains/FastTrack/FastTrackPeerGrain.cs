using P2POrleans.Common;
using P2POrleans.Unstructured;
using P2POrleans.Unstructured.Flooding;

namespace P2POrleans.FastTrack;

/// <summary>
/// A FastTrack peer. Ordinary: attached to the closest supernode (RTT), which indexes its files;
/// it searches through that supernode and downloads peer to peer. Supernode (promoted when its
/// <see cref="Reputation"/> passes the threshold): a <see cref="SupernodeDirectory"/> of its
/// children and a <see cref="Servent"/> over the supernode overlay, whose Queries travel as encoded
/// descriptors like Gnutella's, so the same TTL, duplicate and reverse-path rules apply.
/// </summary>
[Orleans.Concurrency.Reentrant]
[CollectionAgeLimit(AlwaysActive = true)]
[Orleans.Placement.RandomPlacement]
public sealed class FastTrackPeerGrain : Grain, IFastTrackPeerGrain
{
    private const string Protocol = FastTrackParameters.Name;

    private string _overlay = "";
    private int _node;
    private State? _state;

    private sealed class State(FastTrackParameters parameters, ServentIdentity identity, MutableFilesResponder files, Reputation reputation)
    {
        public FastTrackParameters Parameters { get; } = parameters;

        public ServentIdentity Identity { get; } = identity;

        public MutableFilesResponder Files { get; } = files;

        public Reputation Reputation { get; } = reputation;

        public TimeSpan Now { get; set; }

        public int? Supernode { get; set; }

        /// <summary>Set while this peer is a supernode.</summary>
        public SupernodeDirectory? Directory { get; set; }

        public WireServent? Wire { get; set; }

        public Dictionary<int, ServentIdentity> Children { get; } = [];

        public DescriptorCounts ChildMessages { get; set; } = DescriptorCounts.Zero;
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (overlay, id) = PeerKeys.Parse(this.GetPrimaryKeyString());
        (_overlay, _node) = (overlay, UnstructuredNodes.NodeOf(id));
        return Task.CompletedTask;
    }

    private State Live => _state ?? throw new PeerUnreachableException($"fasttrack peer {_node} of '{_overlay}' is not a member");

    private State LiveSupernode => Live is { Wire: not null } s ? s : throw new PeerUnreachableException($"fasttrack peer {_node} of '{_overlay}' is not a supernode");

    private IOverlayRegistryGrain Registry => GrainFactory.GetGrain<IOverlayRegistryGrain>(_overlay);

    private IFastTrackOverlayGrain Overlay => GrainFactory.GetGrain<IFastTrackOverlayGrain>(_overlay);

    private IFastTrackPeerGrain Peer(int node) => GrainFactory.GetGrain<IFastTrackPeerGrain>(UnstructuredNodes.Key(_overlay, node));

    private IFloodNodeGrain FloodNode(int node) => Peer(node);

    public Task InitAsync(FastTrackSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        if (_state is not null)
        {
            throw new P2PException($"peer {_node} is already a member of '{_overlay}'");
        }

        var p = setup.Parameters;
        var identity = UnstructuredWorld.Identity(p.Seed, _node);
        var reputation = new Reputation(new ReputationPolicy { PromotionThreshold = p.SupernodeThreshold, DemotionThreshold = p.DemotionThreshold });
        reputation.Connect(-TimeSpan.FromHours(setup.UptimeHours)); // it has been online that long when the overlay starts
        reputation.RecordUpload(setup.BytesUploaded);
        _state = new State(p, identity, new MutableFilesResponder(identity, new SharedLibrary(setup.Files)), reputation);
        P2PTelemetry.ActivePeers.Add(1);
        return Task.CompletedTask;
    }

    public Task<bool> WantsPromotionAsync() =>
        Task.FromResult(Live.Reputation.Score(Live.Now) >= Live.Parameters.SupernodeThreshold);

    public async Task PromoteAsync()
    {
        var state = Live;
        if (state.Wire is not null)
        {
            return;
        }

        state.Reputation.Evaluate(state.Now);
        var directory = new SupernodeDirectory(state.Parameters.MaxChildren + 1);
        directory.AddChild(state.Identity, state.Files.Library.Files); // a supernode indexes its own files too
        var options = new ServentOptions
        {
            DefaultTtl = (byte)state.Parameters.Ttl,
            MaxTtl = (byte)state.Parameters.MaxTtl,
            PongCacheEnabled = state.Parameters.PongCaching,
            QueryCacheEnabled = state.Parameters.QueryCaching,
        };
        var servent = new Servent(state.Identity, directory, options, SeededRandom.Create(state.Parameters.Seed, "descriptors", UnstructuredNodes.IdOf(_node)));
        state.Directory = directory;
        state.Wire = new WireServent(_node, servent, Protocol);
        if (state.Supernode is { } old)
        {
            state.Supernode = null;
            await TryAsync(old, p => p.RemoveChildAsync(_node));
        }

        var known = (await Overlay.SupernodesAsync()).Where(s => s != _node).ToList();
        var random = SeededRandom.Create(state.Parameters.Seed, "supernode-links", UnstructuredNodes.IdOf(_node));
        foreach (var s in known.OrderBy(_ => random.Next()).Take(state.Parameters.SupernodeDegree).Order())
        {
            if (await TryAsync(s, p => p.LinkAsync(_node)) && _state?.Wire is { } wire)
            {
                wire.Servent.AddNeighbour(UnstructuredNodes.EndpointOf(s));
            }
        }

        await Overlay.AddSupernodeAsync(_node);
    }

    public async Task<int> AttachAsync()
    {
        var state = Live;
        if (state.Wire is not null)
        {
            return _node;
        }

        var network = new NetworkModel(state.Parameters.Seed);
        var candidates = (await Overlay.SupernodesAsync()).Where(s => s != _node).ToList();
        var refused = new HashSet<int>();
        while (SupernodeSelector.TryChooseClosest(
            candidates, s => TimeSpan.FromMilliseconds(network.Rtt(UnstructuredNodes.IdOf(_node), UnstructuredNodes.IdOf(s))), out var chosen, s => !refused.Contains(s)))
        {
            try
            {
                if (await Peer(chosen).AddChildAsync(_node, state.Identity, state.Files.Library.Files))
                {
                    state.Supernode = chosen;
                    state.ChildMessages += new DescriptorCounts(0, 0, 0, 1, 0);
                    P2PTelemetry.CountMessage(Protocol, P2PTelemetry.MaintenanceKind, "Upload");
                    return chosen;
                }
            }
            catch (Exception e) when (Unreachable.Is(e))
            {
                await Overlay.RemoveSupernodeAsync(chosen);
            }

            refused.Add(chosen);
        }

        throw new P2PException($"no supernode of '{_overlay}' takes another child");
    }

    public async Task LeaveAsync()
    {
        var state = Live;
        state.Reputation.Leave(); // a supernode that leaves is demoted (its uptime starts over)
        Stop();
        if (state.Wire is { } wire)
        {
            await Overlay.RemoveSupernodeAsync(_node);
            foreach (var n in wire.Servent.Neighbours.Select(UnstructuredNodes.NodeOf).ToList())
            {
                await TryAsync(n, p => p.UnlinkAsync(_node));
            }

            foreach (var child in state.Children.Keys.ToList())
            {
                await TryAsync(child, p => p.SupernodeLeftAsync(_node));
            }
        }
        else if (state.Supernode is { } sn)
        {
            await TryAsync(sn, p => p.RemoveChildAsync(_node));
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

    /// <summary>Reputation grows with the time connected: promotion when it passes the threshold.</summary>
    public async Task TickAsync(long round)
    {
        if (_state is not { } state)
        {
            return;
        }

        state.Now = TimeSpan.FromSeconds(round * (double)state.Parameters.RoundSeconds);
        if (state.Wire is null && state.Reputation.Evaluate(state.Now) == RoleChange.Promoted)
        {
            await PromoteAsync();
        }
        else if (state.Wire is null && state.Supernode is null)
        {
            try
            {
                await AttachAsync();
            }
            catch (P2PException)
            {
                // nobody takes children yet; try next round
            }
        }
    }

    public Task<bool> IsMemberAsync() => Task.FromResult(_state is not null);

    public async Task<SharedFile> ShareAsync(string name, uint size)
    {
        var state = Live;
        var file = state.Files.Add(name, size);
        if (state.Directory is { } directory)
        {
            directory.AddChild(state.Identity, state.Files.Library.Files);
        }
        else if (state.Supernode is { } sn)
        {
            await TryAsync(sn, p => p.AddChildAsync(_node, state.Identity, state.Files.Library.Files));
        }

        return file;
    }

    public async Task<QueryOutcome> SearchAsync(string text, int? ttl)
    {
        ArgumentNullException.ThrowIfNull(text);
        var state = Live;
        var t = ttl ?? state.Parameters.Ttl;
        if (t is < 1 or > 255)
        {
            throw new P2PException($"TTL must be between 1 and 255 (got {t})");
        }

        t = Math.Min(t, state.Parameters.MaxTtl);
        using var activity = UnstructuredTelemetry.StartQuery(Protocol, _overlay, text, _node);
        QueryOutcome? outcome = null;
        for (var attempt = 0; attempt < 3 && outcome is null; attempt++)
        {
            var supernode = Live.Wire is not null ? _node : Live.Supernode ?? await AttachAsync();
            try
            {
                outcome = await Peer(supernode).SupernodeSearchAsync(text, t, _node);
            }
            catch (Exception e) when (Unreachable.Is(e))
            {
                // our supernode died: drop it from the known list and attach to the next closest
                if (_state is { } s && s.Supernode == supernode)
                {
                    s.Supernode = null;
                }

                await Overlay.RemoveSupernodeAsync(supernode);
            }
        }

        outcome ??= new QueryOutcome(Protocol, text, _node, t, [], [_node], DescriptorCounts.Zero, null, "no supernode answered");
        UnstructuredTelemetry.Complete(activity, outcome, 0);
        return outcome;
    }

    public async Task<FetchOutcome> FetchAsync(string text, int? ttl)
    {
        var search = await SearchAsync(text, ttl);
        using var activity = P2PTelemetry.Source.StartActivity(Protocol + ".fetch");
        activity?.SetTag("p2p.overlay", _overlay);
        activity?.SetTag("p2p.key", text);
        if (search.Hits.Count == 0)
        {
            return new FetchOutcome(search, [], null, "none", [], 0, 0, search.Error ?? $"no supernode within TTL {search.Ttl} indexes '{text}'");
        }

        var wanted = search.Hits[0].File.Name;
        var network = new NetworkModel(Live.Parameters.Seed);
        var probed = new List<(ProbedHost, FoundFile)>();
        foreach (var hit in search.Hits.Where(h => h.File.Name == wanted))
        {
            try
            {
                var probe = await Peer(hit.Node).ProbeAsync();
                probed.Add((new ProbedHost(hit.Node, hit.Endpoint, network.Rtt(UnstructuredNodes.IdOf(_node), UnstructuredNodes.IdOf(hit.Node)), probe.SpeedKbps * 1000.0 / 8, false), hit));
            }
            catch (Exception e) when (Unreachable.Is(e))
            {
                probed.Add((new ProbedHost(hit.Node, hit.Endpoint, null, 0, false), hit));
            }
        }

        var hosts = probed.Select(p => p.Item1).ToList();
        if (HostProbe.Choose(probed) is not { } best)
        {
            return new FetchOutcome(search, hosts, null, "none", [], 0, 0, $"no holder of '{wanted}' answered the ping");
        }

        var (host, chosen) = best;
        var file = await Peer(chosen.Node).DownloadAsync(chosen.File.Index, _node); // peer to peer, not through the supernode
        activity?.SetTag("p2p.owner", chosen.Node);
        return new FetchOutcome(search, hosts, chosen, "direct", [], file.Size, HostProbe.EstimatedMs(host, file.Size), null);
    }

    public Task<PeerProbe> ProbeAsync() => Task.FromResult(new PeerProbe(Live.Identity.Speed, false));

    public Task<SharedFile> DownloadAsync(uint fileIndex, int requester)
    {
        var state = Live;
        var file = state.Files.Library.Find(fileIndex) ?? throw new P2PException($"peer {_node} has no file {fileIndex}");
        state.Reputation.RecordUpload(file.Size); // uploads raise reputation
        return Task.FromResult(file);
    }

    public Task<UnstructuredPeerView> ViewAsync()
    {
        var state = Live;
        var servent = state.Wire?.Servent;
        IReadOnlyList<int> links = servent is not null
            ? servent.Neighbours.Select(UnstructuredNodes.NodeOf).Order().ToList()
            : state.Supernode is { } sn ? [sn] : [];
        return Task.FromResult(new UnstructuredPeerView(_node, state.Identity.Endpoint, servent is null ? "ordinary" : $"supernode ({state.Children.Count} children)",
            state.Files.Library.Files.Count, links, false,
            (servent is null ? DescriptorCounts.Zero : CountsOf.Sent(servent.Counters)) + state.ChildMessages,
            servent is null ? DescriptorCounts.Zero : CountsOf.Received(servent.Counters),
            servent?.Counters.Duplicates ?? 0, state.Wire?.Rejected ?? 0, Math.Round(state.Reputation.Score(state.Now), 2)));
    }

    // --- supernode side ----------------------------------------------------------------

    public Task<bool> AddChildAsync(int child, ServentIdentity identity, IReadOnlyList<SharedFile> files)
    {
        if (_state is not { Directory: { } directory } state || child == _node)
        {
            return Task.FromResult(false);
        }

        if (!directory.AddChild(identity, files))
        {
            return Task.FromResult(false);
        }

        state.Children[child] = identity;
        return Task.FromResult(true);
    }

    public Task RemoveChildAsync(int child)
    {
        if (_state is { Directory: { } directory } state && state.Children.Remove(child, out var identity))
        {
            directory.RemoveChild(identity.Endpoint);
        }

        return Task.CompletedTask;
    }

    public async Task<QueryOutcome> SupernodeSearchAsync(string text, int ttl, int requester)
    {
        var state = LiveSupernode;
        var wire = state.Wire!;
        var requesterEndpoint = UnstructuredNodes.EndpointOf(requester);
        var local = state.Directory!.Answer(new Query(0, text), requesterEndpoint)
            .SelectMany(hit => hit.Results.Select(r => new FoundFile(UnstructuredNodes.NodeOf(hit.Endpoint), hit.Endpoint,
                new SharedFile(r.FileIndex, r.FileSize, r.FileName), hit.ServentId, hit.Speed, requester == _node ? [_node] : [_node, requester])))
            .ToList();
        var now = state.Now;
        var start = wire.Servent.StartQuery(text, now, 0, (byte)ttl);
        var flood = Guid.NewGuid();
        var (recipients, sent) = await wire.OriginateAsync(flood, start, FloodNode);
        var summary = await FloodRunner.RunAsync(Protocol, flood, start.Descriptor, _node, recipients, sent, now, FloodNode);
        var remote = FloodRunner.HitsAt(_node, summary.Delivered)
            .Where(h => h.Node != requester)
            .Select(h => h with { PathBack = requester == _node ? h.PathBack : h.PathBack.Append(requester).ToList() });
        var hits = local.Concat(remote).ToList();
        var childLeg = requester == _node ? DescriptorCounts.Zero : new DescriptorCounts(0, 0, 0, 1, 1); // the child's search and the answer
        var reached = summary.Reached.Append(requester).Distinct().Order().ToList();
        return new QueryOutcome(Protocol, text, requester, ttl, hits, reached, summary.Sent + childLeg,
            hits.Count > 0 ? hits.Min(h => h.PathBack.Count) - 1 : null, null);
    }

    public Task LinkAsync(int supernode)
    {
        LiveSupernode.Wire!.Servent.AddNeighbour(UnstructuredNodes.EndpointOf(supernode));
        return Task.CompletedTask;
    }

    public Task UnlinkAsync(int supernode)
    {
        _state?.Wire?.Servent.RemoveNeighbour(UnstructuredNodes.EndpointOf(supernode));
        return Task.CompletedTask;
    }

    public async Task SupernodeLeftAsync(int supernode)
    {
        if (_state is { } state && state.Supernode == supernode)
        {
            state.Supernode = null;
            try
            {
                await AttachAsync();
            }
            catch (P2PException)
            {
                // attach on a later round
            }
        }
    }

    public Task EnqueueAsync(Guid flood, int round, PeerEndpoint from, IReadOnlyList<WireMessage> messages)
    {
        LiveSupernode.Wire!.Enqueue(flood, round, from, messages);
        return Task.CompletedTask;
    }

    public async Task<FloodRoundReport> RunRoundAsync(FloodRound round)
    {
        var (report, _) = await LiveSupernode.Wire!.RunRoundAsync(round, FloodNode);
        return report;
    }

    private async Task<bool> TryAsync(int node, Func<IFastTrackPeerGrain, Task> call)
    {
        try
        {
            await call(Peer(node));
            return true;
        }
        catch (Exception e) when (Unreachable.Is(e))
        {
            return false;
        }
    }

    private void Stop()
    {
        _state = null;
        P2PTelemetry.ActivePeers.Add(-1);
        DeactivateOnIdle();
    }
}
