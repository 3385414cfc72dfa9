using P2POrleans.Common;
using P2POrleans.Unstructured;
using P2POrleans.Unstructured.Flooding;

namespace P2POrleans.FastTrack;

/// <summary>
/// A FastTrack peer. Thin: the rules (reputation and promotion, supernode choice by RTT, the
/// directory of children, how a search's hits are put together) are <see cref="FastTrackNode"/>'s;
/// a supernode's Queries travel over the supernode overlay as encoded descriptors
/// (<see cref="WireServent"/>), like Gnutella's. An ordinary peer searches through its supernode and
/// downloads peer to peer.
/// </summary>
[Orleans.Concurrency.Reentrant]
[CollectionAgeLimit(AlwaysActive = true)]
[Orleans.Placement.RandomPlacement]
public sealed class FastTrackPeerGrain() : UnstructuredPeerGrain<FastTrackNode>(FastTrackParameters.Name), IFastTrackPeerGrain
{
    private WireServent? _wire;

    /// <summary>The node of a member that is a supernode, with its wire; anything else is no supernode to its callers.</summary>
    private (FastTrackNode Node, WireServent Wire) Supernode =>
        Node.IsSupernode && _wire is { } wire ? (Node, wire) : throw new PeerUnreachableException($"fasttrack peer {Self} of '{Overlay}' is not a supernode");

    private IFastTrackOverlayGrain OverlayGrain => GrainFactory.GetGrain<IFastTrackOverlayGrain>(Overlay);

    private IFastTrackPeerGrain Peer(int node) => PeerGrain<IFastTrackPeerGrain>(node);

    private IFloodNodeGrain FloodNode(int node) => Peer(node);

    public Task InitAsync(FastTrackSetup setup)
    {
        EnsureNotMember();
        var node = new FastTrackNode(Self, setup);
        _wire = null;
        Start(node);
        return Task.CompletedTask;
    }

    public Task<bool> WantsPromotionAsync() => Task.FromResult(Node.WantsPromotion);

    public async Task PromoteAsync()
    {
        var node = Node;
        if (node.IsSupernode)
        {
            return;
        }

        var old = node.Promote();
        _wire = new WireServent(Self, node.Servent!, Protocol);
        if (old is { } supernode)
        {
            await TryAsync(supernode, p => p.RemoveChildAsync(Self));
        }

        foreach (var s in node.SupernodeLinks(await OverlayGrain.SupernodesAsync()))
        {
            if (await TryAsync(s, p => p.LinkAsync(Self)))
            {
                Current?.Link(s);
            }
        }

        await OverlayGrain.AddSupernodeAsync(Self);
    }

    public async Task<int> AttachAsync()
    {
        var node = Node;
        if (node.IsSupernode)
        {
            return Self;
        }

        var candidates = await OverlayGrain.SupernodesAsync();
        var refused = new HashSet<int>();
        while (node.TryChooseSupernode(candidates, refused, out var chosen))
        {
            try
            {
                if (await Peer(chosen).AddChildAsync(Self, node.Identity, node.Library.Files))
                {
                    node.Attached(chosen);
                    P2PTelemetry.CountMessage(Protocol, P2PTelemetry.MaintenanceKind, "Upload");
                    return chosen;
                }
            }
            catch (Exception e) when (Unreachable.Is(e))
            {
                await OverlayGrain.RemoveSupernodeAsync(chosen);
            }

            refused.Add(chosen);
        }

        throw new P2PException($"no supernode of '{Overlay}' takes another child");
    }

    public async Task LeaveAsync()
    {
        var node = Node;
        node.Leave(); // a supernode that leaves is demoted (its uptime starts over)
        Stop();
        if (node.IsSupernode)
        {
            await OverlayGrain.RemoveSupernodeAsync(Self);
            foreach (var n in node.SupernodeNeighbours.ToList())
            {
                await TryAsync(n, p => p.UnlinkAsync(Self));
            }

            foreach (var child in node.Children.ToList())
            {
                await TryAsync(child, p => p.SupernodeLeftAsync(Self));
            }
        }
        else if (node.Supernode is { } sn)
        {
            await TryAsync(sn, p => p.RemoveChildAsync(Self));
        }

        await LeaveRegistryAsync();
    }

    /// <summary>Reputation grows with the time connected: promotion when it passes the threshold.</summary>
    public async Task TickAsync(long round)
    {
        switch (Current?.Tick(round))
        {
            case FastTrackStep.Promote:
                await PromoteAsync();
                break;
            case FastTrackStep.Attach:
                try
                {
                    await AttachAsync();
                }
                catch (P2PException)
                {
                    // nobody takes children yet; try next round
                }

                break;
        }
    }

    public async Task<SharedFile> ShareAsync(string name, uint size)
    {
        var node = Node;
        var file = node.Share(name, size);
        if (!node.IsSupernode && node.Supernode is { } sn)
        {
            await TryAsync(sn, p => p.AddChildAsync(Self, node.Identity, node.Library.Files));
        }

        return file;
    }

    public async Task<QueryOutcome> SearchAsync(string text, int? ttl)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = QueryTtl.Resolve(Node.Parameters, ttl);
        using var activity = UnstructuredTelemetry.StartQuery(Protocol, Overlay, text, Self);
        QueryOutcome? outcome = null;
        for (var attempt = 0; attempt < 3 && outcome is null; attempt++)
        {
            var supernode = Node.IsSupernode ? Self : Node.Supernode ?? await AttachAsync();
            try
            {
                outcome = await Peer(supernode).SupernodeSearchAsync(text, t, Self);
            }
            catch (Exception e) when (Unreachable.Is(e))
            {
                // our supernode died: drop it from the known list and attach to the next closest
                Current?.Detach(supernode);
                await OverlayGrain.RemoveSupernodeAsync(supernode);
            }
        }

        outcome ??= new QueryOutcome(Protocol, text, Self, t, [], [Self], DescriptorCounts.Zero, null, "no supernode answered");
        UnstructuredTelemetry.Complete(activity, outcome, 0);
        return outcome;
    }

    public async Task<FetchOutcome> FetchAsync(string text, int? ttl)
    {
        var search = await SearchAsync(text, ttl);
        using var activity = P2PTelemetry.Source.StartActivity(Protocol + ".fetch");
        activity?.SetTag("p2p.overlay", Overlay);
        activity?.SetTag("p2p.key", text);
        if (search.Hits.Count == 0)
        {
            return new FetchOutcome(search, [], null, "none", [], 0, 0, search.Error ?? $"no supernode within TTL {search.Ttl} indexes '{text}'");
        }

        var probed = await HostProbe.ProbeAsync(Protocol, Self, search, new NetworkModel(Node.Parameters.Seed), n => Peer(n).ProbeAsync());
        // peer to peer, not through the supernode
        return await HostProbe.FetchDirectAsync(search, probed, hit => Peer(hit.Node).DownloadAsync(hit.File.Index, Self), activity);
    }

    public Task<PeerProbe> ProbeAsync() => Task.FromResult(Node.Probe);

    public Task<SharedFile> DownloadAsync(uint fileIndex, int requester) => Task.FromResult(Node.Upload(fileIndex));

    public Task<UnstructuredPeerView> ViewAsync() => Task.FromResult(Node.View(_wire?.Rejected ?? 0));

    // --- supernode side ----------------------------------------------------------------

    public Task<bool> AddChildAsync(int child, ServentIdentity identity, IReadOnlyList<SharedFile> files) =>
        Task.FromResult(Current?.AddChild(child, identity, files) ?? false);

    public Task RemoveChildAsync(int child)
    {
        Current?.RemoveChild(child);
        return Task.CompletedTask;
    }

    public async Task<QueryOutcome> SupernodeSearchAsync(string text, int ttl, int requester)
    {
        var (node, wire) = Supernode;
        var local = node.LocalHits(text, requester);
        var now = node.Now;
        var start = node.Servent!.StartQuery(text, now, 0, (byte)ttl);
        var flood = Guid.NewGuid();
        var (recipients, sent) = await wire.OriginateAsync(flood, start, FloodNode);
        var summary = await FloodRunner.RunAsync(Protocol, flood, start.Descriptor, Self, recipients, sent, now, FloodNode);
        return node.SearchOutcome(text, ttl, requester, local, summary);
    }

    public Task LinkAsync(int supernode)
    {
        Supernode.Node.Link(supernode);
        return Task.CompletedTask;
    }

    public Task UnlinkAsync(int supernode)
    {
        Current?.Unlink(supernode);
        return Task.CompletedTask;
    }

    public async Task SupernodeLeftAsync(int supernode)
    {
        if (Current?.Detach(supernode) == true)
        {
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
        Supernode.Wire.Enqueue(flood, round, from, messages);
        return Task.CompletedTask;
    }

    public async Task<FloodRoundReport> RunRoundAsync(FloodRound round)
    {
        var (report, _) = await Supernode.Wire.RunRoundAsync(round, FloodNode);
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
}
