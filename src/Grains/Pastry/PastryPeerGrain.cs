using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using P2POrleans.Common;

namespace P2POrleans.Pastry;

/// <summary>
/// A Pastry peer. Thin: routing decisions come from <see cref="PastryRouter"/>, join and repair
/// from <see cref="PastryJoin"/> and <see cref="PastryRepair"/>, state lives in
/// <see cref="PastryNodeState"/>. Reentrant because a joining node is called back while it announces
/// itself (DESIGN.md section 4): every method re-reads state after each await.
/// </summary>
[Orleans.Concurrency.Reentrant]
[CollectionAgeLimit(AlwaysActive = true)]
[Orleans.Placement.RandomPlacement] // peers spread over the silos, so a silo crash takes a random subset
public sealed class PastryPeerGrain : Grain, IPastryPeerGrain
{
    private const string Protocol = PastryParameters.Name;
    private const int NearbyProbes = 4;
    private const int FanOut = 8;
    private const int RepairContactsPerSlot = 3;

    private readonly ILogger<PastryPeerGrain> _logger;
    private readonly DurablePeerStorage<PastryPeer, PastryPeerRecord, (long StoreVersion, int Leaves)> _storage;
    private string _overlay = "";
    private string _silo = "";
    private NodeId _self;
    private PastryPeer? _peer;
    private IGrainTimer? _timer;

    /// <summary>
    /// The storage is read at every activation (Orleans does it before the first call); only durable
    /// peers ever write to it, so a volatile peer finds no record and starts empty (DESIGN.md section 6).
    /// </summary>
    public PastryPeerGrain(ILogger<PastryPeerGrain> logger, Orleans.Serialization.Serializer serializer, [PersistentState("pastry", P2PStorage.Name)] IPersistentState<StoredBlob> stored)
    {
        _logger = logger;
        _storage = new(stored, serializer, () => _peer, n => n.Parameters.Durable, n => n.ToRecord(), Marker);
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_overlay, _self) = PeerKeys.Parse(this.GetPrimaryKeyString());
        _silo = GrainContext.Address.SiloAddress?.ToString() ?? "";
        if (_storage.Read() is { Member: true, Parameters.Durable: true } record)
        {
            // A durable peer whose silo crashed (or that was collected) comes back as the member it was.
            var peer = PastryPeer.FromRecord(_self, record);
            peer.Silo = _silo;
            _peer = peer;
            _storage.Restored(peer);
            StartClock(peer);
            P2PTelemetry.ActivePeers.Add(1);
            _logger.LogInformation("Pastry peer {Peer} of {Overlay} restored on {Silo} with {Keys} keys", peer.Space.Format(_self), _overlay, _silo, peer.Store.Count);
        }

        return Task.CompletedTask;
    }

    private PastryPeer Node => _peer ?? throw new PeerUnreachableException($"pastry peer {_self.ToHex()[^8..]} of '{_overlay}' is not a member");

    // --- membership -------------------------------------------------------------------

    public async Task<PastryPeerState> JoinAsync(PastryJoinRequest request)
    {
        if (_peer is not null)
        {
            throw new P2PException($"peer {request.Parameters.Space.Format(_self)} is already a member of '{_overlay}'");
        }

        var parameters = request.Parameters;
        var network = new NetworkModel(parameters.Seed);
        var candidates = request.Nearby.Where(n => n != _self).Distinct().ToList();
        PastryNodeState state;
        if (candidates.Count == 0)
        {
            state = new PastryNodeState(_self, parameters, network.Rtt);
        }
        else
        {
            state = await JoinStateAsync(parameters, network, candidates);
        }

        if (_peer is not null)
        {
            throw new P2PException($"peer {parameters.Space.Format(_self)} joined twice at once");
        }

        var peer = new PastryPeer(parameters, request.Address, state, network) { Silo = _silo };
        _peer = peer;

        // X sends a copy of its state to every node in it; they update their own (section 2.4).
        var known = state.KnownNodes.ToImmutableArray();
        await Concurrently.ForEachAsync(PastryJoin.AnnounceTargets(state), FanOut,
            target => TryAsync(target, "announce", p => p.AnnounceAsync(_self, known)));

        await Registry.AddMemberAsync(_self);
        StartClock(peer);
        P2PTelemetry.ActivePeers.Add(1);
        await PersistAsync(peer);
        return peer.Snapshot();
    }

    /// <summary>
    /// Section 2.4: ping a few members and take the nearest (A); A routes a join message with key X
    /// (driven from here, iteratively); every node on the route gives its rows, the last (Z) its
    /// leaf set, A its neighbourhood set.
    /// </summary>
    private async Task<PastryNodeState> JoinStateAsync(PastryParameters parameters, NetworkModel network, List<NodeId> candidates)
    {
        NodeId? nearby = null;
        foreach (var candidate in candidates.Take(NearbyProbes))
        {
            if (await PingQuietlyAsync(candidate) && (nearby is not { } best || network.Rtt(_self, candidate) < network.Rtt(_self, best)))
            {
                nearby = candidate;
            }
        }

        if (nearby is not { } a)
        {
            throw new P2PException("join failed: none of the members asked to bootstrap answered");
        }

        var dead = new HashSet<NodeId>();
        var route = new List<PastryJoinRows>();
        PastryLeafSetSnapshot? closest = null;
        var current = a;
        var maxSteps = parameters.Rows + 64;
        while (route.Count <= maxSteps)
        {
            PastryJoinStep step;
            try
            {
                P2PTelemetry.CountMessage(Protocol, P2PTelemetry.MaintenanceKind, "join");
                step = await Peer(current).JoinStepAsync(_self, [.. dead]);
            }
            catch (Exception e) when (Unreachable.Is(e))
            {
                dead.Add(current);
                if (route.Count == 0)
                {
                    throw new P2PException($"join failed: the bootstrap {parameters.Space.Format(current)} died");
                }

                current = route[^1].From;
                route.RemoveAt(route.Count - 1);
                continue;
            }

            route.Add(step.Rows);
            if (step.Decision.IsDelivery || route.Exists(r => r.From == step.Decision.Node))
            {
                closest = step.LeafSet ?? await LeafSetOfAsync(current);
                break;
            }

            current = step.Decision.Node;
        }

        PastryNeighbourhoodSnapshot? neighbourhood = null;
        try
        {
            neighbourhood = await Peer(a).GetNeighbourhoodAsync();
        }
        catch (Exception e) when (Unreachable.Is(e))
        {
            // A died after routing: the route and Z's leaf set are enough to start with.
        }

        return PastryJoin.BuildState(_self, parameters, network.Rtt, route, closest, neighbourhood, dead);
    }

    private async Task<PastryLeafSetSnapshot?> LeafSetOfAsync(NodeId node)
    {
        try
        {
            return await Peer(node).GetLeafSetAsync();
        }
        catch (Exception e) when (Unreachable.Is(e))
        {
            return null;
        }
    }

    public async Task InstallAsync(PastryParameters parameters, string address, PastryPeerState state)
    {
        var network = _peer?.Network ?? new NetworkModel(parameters.Seed);
        var restored = PastrySnapshots.Restore(state with { Id = _self }, parameters, network.Rtt);
        if (_peer is { } existing)
        {
            existing.State = restored;
            existing.PendingRepairs.Clear();
            existing.Replicated = (-1, 0);
            existing.LearnSilos(restored.LeafSet.Snapshot());
            await PersistAsync(existing);
            return;
        }

        var peer = new PastryPeer(parameters, address, restored, network) { Silo = _silo };
        _peer = peer;
        StartClock(peer);
        P2PTelemetry.ActivePeers.Add(1);
        await PersistAsync(peer);
    }

    public async Task LeaveAsync()
    {
        var node = Node;

        // Graceful leave: each key goes to the k holders among the remaining nodes our leaf set knows
        // (the same placement as everywhere else, without us), and every node of our state hears
        // that we go, with our leaf set to repair theirs at once.
        var leafSet = node.State.LeafSet.Snapshot();
        var targets = node.State.KnownNodes.ToList();
        var remaining = node.State.LeafSet.All.ToList();
        var handOver = new Dictionary<NodeId, List<PastryStoredItem>>();
        foreach (var item in node.Store.Items)
        {
            foreach (var holder in PastryReplicas.Holders(node.Space, item.KeyId, remaining, node.Parameters.Replicas, node.Parameters.SpreadReplicas, node.SiloOf))
            {
                (handOver.TryGetValue(holder, out var list) ? list : handOver[holder] = []).Add(item);
            }
        }

        Stop();
        await ForgetStoredAsync(node);
        foreach (var (holder, items) in handOver)
        {
            await TryAsync(holder, "hand_over", p => p.StoreReplicasAsync(items), node);
        }

        await Concurrently.ForEachAsync(targets, FanOut, target => TryAsync(target, "departing", p => p.DepartingAsync(_self, leafSet), node));
        await Registry.RemoveMemberAsync(_self);
        _logger.LogDebug("Pastry peer {Peer} left {Overlay}", _self, _overlay);
    }

    public async Task FailAsync()
    {
        var node = Node;
        Stop();
        await ForgetStoredAsync(node);
        await Registry.RemoveMemberAsync(_self);
    }

    public async Task StopAsync()
    {
        if (_peer is { } node)
        {
            Stop();
            await ForgetStoredAsync(node);
        }
    }

    public Task<bool> IsMemberAsync() => Task.FromResult(_peer is not null);

    // --- messages ----------------------------------------------------------------------

    public Task<PastryRouteDecision> RouteStepAsync(NodeId key, IReadOnlyList<NodeId> exclude)
    {
        var node = Node;
        CheckKey(node, key);
        return Task.FromResult(PastryRouter.Route(node.State, key, exclude.Count == 0 ? null : exclude.ToHashSet()));
    }

    public async Task<IReadOnlyList<Hop>> RouteAsync(NodeId key, int hopIndex)
    {
        var node = Node;
        using var span = P2PTelemetry.StartHop(Protocol, hopIndex, node.Space.Format(_self));
        return await ForwardAsync(node, key, hopIndex);
    }

    /// <summary>Recursive routing from this node: the hops after it (empty when it delivers).</summary>
    private async Task<IReadOnlyList<Hop>> ForwardAsync(PastryPeer node, NodeId key, int hopIndex)
    {
        var dead = new HashSet<NodeId>();
        while (true)
        {
            var decision = PastryRouter.Route(node.State, key, dead.Count == 0 ? null : dead);
            if (decision.IsDelivery)
            {
                return [];
            }

            node.LookupMessages++;
            P2PTelemetry.CountMessage(Protocol, P2PTelemetry.LookupKind, "route");
            try
            {
                var rest = await Peer(decision.Node).RouteAsync(key, hopIndex + 1);
                return [new Hop(decision.Node, node.Network.Rtt(_self, decision.Node), ReasonText(decision.Reason)), .. rest];
            }
            catch (Exception e) when (Unreachable.Is(e))
            {
                dead.Add(decision.Node);
                ForgetIfGone(node, decision.Node, e);
            }

            if (hopIndex > node.Parameters.Rows + 64)
            {
                throw new P2PException("routing loop");
            }
        }
    }

    public Task<PastryJoinStep> JoinStepAsync(NodeId joining, IReadOnlyList<NodeId> exclude)
    {
        var node = Node;
        CheckKey(node, joining);
        var decision = PastryRouter.Route(node.State, joining, exclude.Count == 0 ? null : exclude.ToHashSet());
        return Task.FromResult(new PastryJoinStep(PastryJoin.RowsFor(node.State, joining), decision, decision.IsDelivery ? node.State.LeafSet.Snapshot() : null));
    }

    public Task<PastryNeighbourhoodSnapshot> GetNeighbourhoodAsync() => Task.FromResult(Node.State.NeighbourhoodSet.Snapshot());

    public Task<PastryLeafSetSnapshot> GetLeafSetAsync() => Task.FromResult(Node.LeafSetReply());

    public async Task<PastryLeafSetSnapshot> ExchangeLeafSetAsync(PastryLeafSetSnapshot sender)
    {
        var node = Node;
        Merge(node, sender);
        var reply = node.LeafSetReply();
        await PersistAsync(node);
        return reply;
    }

    /// <summary>Learns a leaf set received from another node (and its owner), skipping ourselves and known-dead nodes; and the silos it reports.</summary>
    private void Merge(PastryPeer node, PastryLeafSetSnapshot snapshot)
    {
        node.Dead.Remove(snapshot.Owner);
        PastryRepair.MergeLeafSet(node.State, snapshot with { Smaller = [.. snapshot.Smaller.Where(id => id != _self)], Larger = [.. snapshot.Larger.Where(id => id != _self)] }, node.Dead);
        node.LearnSilos(snapshot);
    }

    public async Task AnnounceAsync(NodeId joined, ImmutableArray<NodeId> state)
    {
        var node = Node;
        node.Dead.Remove(joined);
        var where = PastryJoin.AcceptAnnouncement(node.State, joined, state.Where(id => id != _self), node.Dead);
        if ((where & PastryTables.LeafSet) == 0)
        {
            return;
        }

        // A leaf-set change: a durable peer writes it (the newcomer's silo is learnt at the next heartbeat).
        var persisted = PersistAsync(node);
        if (node.Parameters.Replicas > 1)
        {
            // The newcomer is now among the holders of some of our keys: copy them at once.
            var items = node.Store.Items.Where(i => node.Holders(i.KeyId).Contains(joined)).ToList();
            if (items.Count > 0)
            {
                await TryAsync(joined, "replicate", p => p.StoreReplicasAsync(items), node);
            }
        }

        await persisted;
    }

    public async Task DepartingAsync(NodeId leaving, PastryLeafSetSnapshot leafSet)
    {
        var node = Node;
        Forget(node, leaving);
        node.State.LearnAll(leafSet.Smaller.Concat(leafSet.Larger).Where(id => id != leaving && id != _self), node.Dead);
        await PersistAsync(node);
    }

    public Task<ImmutableArray<NodeId>> RepairCandidatesAsync(NodeId requester, int row, int column) =>
        Task.FromResult(PastryRepair.AnswerRoutingRepair(Node.State, requester, row, column));

    public Task PingAsync()
    {
        _ = Node;
        return Task.CompletedTask;
    }

    public async Task StoreReplicasAsync(IReadOnlyList<PastryStoredItem> items)
    {
        var node = Node;
        foreach (var item in items)
        {
            node.Store.Put(item);
        }

        await PersistAsync(node);
    }

    public async Task<IReadOnlyList<NodeId>> StoreAsync(PastryStoredItem item)
    {
        var node = Node;
        node.Store.Put(item);

        // The root writes the copies at the other holders before answering; a durable root's own write runs meanwhile.
        var persisted = PersistAsync(node);
        var stored = new List<NodeId> { _self };
        foreach (var holder in node.Holders(item.KeyId).Where(h => h != _self))
        {
            if (await TryAsync(holder, "replicate", p => p.StoreReplicasAsync([item]), node))
            {
                stored.Add(holder);
            }
        }

        await persisted;
        return stored;
    }

    public Task<IReadOnlyList<NodeId>> ReplicaSetAsync(NodeId key) => Task.FromResult(Node.Holders(key));

    public Task<string?> ReadLocalAsync(string key) => Task.FromResult(Node.Store.Get(key));

    // --- client operations -------------------------------------------------------------

    public async Task<LookupResult> LookupAsync(NodeId key, string? keyText)
    {
        var node = Node;
        if (!node.Space.Contains(key))
        {
            throw new P2PException($"key id does not fit in {node.Space.Bits} bits");
        }

        using var activity = P2PTelemetry.StartLookup(Protocol, _overlay, keyText ?? node.Space.Format(key), node.Space.Format(_self));
        var result = node.Parameters.Mode == PastryMode.Recursive
            ? await RecursiveLookupAsync(node, key)
            : await IterativeLookupAsync(node, key);
        P2PTelemetry.CompleteLookup(activity, Protocol, result.Hops, result.LatencyMs, node.Space.Format(result.Owner), result.Success);
        return result;
    }

    public async Task<PastryPutResult> PutAsync(string key, string value)
    {
        var node = Node;
        var keyId = node.Space.Hash(key);
        var lookup = await LookupAsync(keyId, key);
        if (!lookup.Success)
        {
            return new PastryPutResult([], lookup);
        }

        var item = new PastryStoredItem(key, keyId, value);
        var stored = lookup.Owner == _self ? await StoreAsync(item) : await Peer(lookup.Owner).StoreAsync(item);
        return new PastryPutResult(stored, lookup);
    }

    public async Task<PastryGetResult> GetAsync(string key)
    {
        var node = Node;
        var keyId = node.Space.Hash(key);
        var lookup = await LookupAsync(keyId, key);
        if (!lookup.Success)
        {
            return new PastryGetResult(null, null, lookup);
        }

        // The numerically closest answers; while a failure or a join is not yet repaired, the other
        // k - 1 closest of its leaf set hold copies.
        var unreachable = 0;
        var candidates = new List<NodeId> { lookup.Owner };
        try
        {
            candidates.AddRange(lookup.Owner == _self ? node.Holders(keyId) : await Peer(lookup.Owner).ReplicaSetAsync(keyId));
        }
        catch (Exception e) when (Unreachable.Is(e))
        {
        }

        foreach (var candidate in candidates.Distinct())
        {
            try
            {
                var value = candidate == _self ? node.Store.Get(key) : await Peer(candidate).ReadLocalAsync(key);
                if (value is not null)
                {
                    return new PastryGetResult(value, candidate, lookup);
                }
            }
            catch (Exception e) when (Unreachable.Is(e))
            {
                unreachable += Unreachable.IsNotMember(e) ? 0 : 1;
            }
        }

        return new PastryGetResult(null, null, lookup) { HoldersUnreachable = unreachable };
    }

    public Task<PastryPeerState> GetStateAsync() => Task.FromResult(Node.Snapshot());

    public Task<IReadOnlyList<NodeId>> GetKeyIdsAsync() => Task.FromResult(Node.Store.KeyIds());

    // --- periodic work -----------------------------------------------------------------

    /// <summary>
    /// One round: probe every node of our state and drop the unreachable ones; repair leaf-set
    /// sides that lost a member or are short, from the farthest live leaf on that side; lazily
    /// repair the routing-table slots whose entry died; refill the neighbourhood set; re-replicate.
    /// </summary>
    public async Task TickAsync(long round)
    {
        var node = Node;
        await ProbeAsync(node);
        await RepairLeafSetAsync(node);
        await RepairRoutingTableAsync(node);
        await RepairNeighbourhoodAsync(node);
        await ReplicateAsync(node);
        await PersistAsync(node);
        if (_peer == node)
        {
            P2PTelemetry.StateEntries.Record(node.State.Size().TotalEntries, new KeyValuePair<string, object?>("p2p.protocol", Protocol));
        }
    }

    /// <summary>
    /// Leaves get a heartbeat that carries our leaf set and returns theirs (both merge: leaf sets
    /// converge even where a repair missed a node); every other known node gets a ping.
    /// </summary>
    private async Task ProbeAsync(PastryPeer node)
    {
        var leaves = node.State.LeafSet.All.ToHashSet();
        var others = node.State.KnownNodes.Where(id => !leaves.Contains(id)).ToList();
        var mine = node.LeafSetReply();
        await Concurrently.ForEachAsync(leaves, FanOut, async leaf =>
        {
            PastryLeafSetSnapshot? theirs = null;
            if (await TryAsync(leaf, "leafset_heartbeat", async p => theirs = await p.ExchangeLeafSetAsync(mine), node) && theirs is not null && _peer == node)
            {
                Merge(node, theirs);
            }
        });
        await Concurrently.ForEachAsync(others, FanOut, target => TryAsync(target, "probe", p => p.PingAsync(), node));
    }

    private async Task RepairLeafSetAsync(PastryPeer node)
    {
        foreach (var side in new[] { LeafSides.Smaller, LeafSides.Larger })
        {
            // A full side that lost nobody is right; a short one may just reflect a small network.
            for (var attempt = 0; attempt < 3 && _peer == node && !node.State.LeafSet.IsFull(side); attempt++)
            {
                var before = node.LeafHash();
                if (PastryRepair.LeafSetRepairContact(node.State.LeafSet, side) is not { } contact)
                {
                    break;
                }

                try
                {
                    CountMaintenance(node, "leafset_repair");
                    var snapshot = await Peer(contact).GetLeafSetAsync();
                    if (_peer != node)
                    {
                        return;
                    }

                    Merge(node, snapshot);
                }
                catch (Exception e) when (Unreachable.Is(e))
                {
                    ForgetIfGone(node, contact, e);
                    continue;
                }

                if (node.LeafHash() == before)
                {
                    break;
                }
            }
        }
    }

    private async Task RepairRoutingTableAsync(PastryPeer node)
    {
        foreach (var (row, column) in node.PendingRepairs.ToList())
        {
            if (_peer != node)
            {
                return;
            }

            node.PendingRepairs.Remove((row, column));
            if (node.State.RoutingTable.Get(row, column) is not null)
            {
                continue;
            }

            // Ask the other entries of row l, then of rows l+1, ... for their R[l][d] (section 2.4).
            foreach (var contact in PastryRepair.RoutingRepairContacts(node.State, row, column, node.Dead).Take(RepairContactsPerSlot))
            {
                try
                {
                    CountMaintenance(node, "table_repair");
                    var answers = await Peer(contact).RepairCandidatesAsync(_self, row, column);
                    if (PastryRepair.MergeRoutingRepair(node.State, row, column, answers, node.Dead))
                    {
                        break;
                    }
                }
                catch (Exception e) when (Unreachable.Is(e))
                {
                    ForgetIfGone(node, contact, e);
                }
            }
        }
    }

    private async Task RepairNeighbourhoodAsync(PastryPeer node)
    {
        var set = node.State.NeighbourhoodSet;
        if (set.Count >= set.Size || set.Count == 0)
        {
            return;
        }

        // A lost member: ask the closest remaining member for its set (section 2.4, neighbourhood).
        var contact = set.Members[0];
        try
        {
            CountMaintenance(node, "neighbourhood_repair");
            var snapshot = await Peer(contact).GetNeighbourhoodAsync();
            if (_peer == node)
            {
                foreach (var member in snapshot.Members.Where(m => m != _self && !node.Dead.Contains(m)))
                {
                    node.State.NeighbourhoodSet.Consider(member);
                }
            }
        }
        catch (Exception e) when (Unreachable.Is(e))
        {
            ForgetIfGone(node, contact, e);
        }
    }

    /// <summary>
    /// Keys go to their holders (the k numerically closest nodes of our leaf set, or spread over
    /// silos) whenever the keys, the leaf set or (spread) the silos known for it changed; a key we
    /// are no longer among the holders of is handed to them and dropped.
    /// </summary>
    private async Task ReplicateAsync(PastryPeer node)
    {
        var signature = (node.Store.Version, node.PlacementHash());
        if (node.Replicated == signature || node.Store.Count == 0)
        {
            node.Replicated = signature;
            return;
        }

        var k = node.Parameters.Replicas;
        var pushes = new Dictionary<NodeId, List<PastryStoredItem>>();
        var handedOver = new List<PastryStoredItem>();
        foreach (var item in node.Store.Items)
        {
            var holders = node.Holders(item.KeyId);
            if (!holders.Contains(_self))
            {
                handedOver.Add(item);
            }

            foreach (var holder in holders.Where(h => h != _self))
            {
                (pushes.TryGetValue(holder, out var list) ? list : pushes[holder] = []).Add(item);
            }
        }

        var failed = new HashSet<NodeId>();
        foreach (var (holder, items) in pushes)
        {
            if (!await TryAsync(holder, "replicate", p => p.StoreReplicasAsync(items), node))
            {
                failed.Add(holder);
            }
        }

        if (_peer != node)
        {
            return;
        }

        if (failed.Count == 0)
        {
            foreach (var item in handedOver)
            {
                node.Store.Remove(item.Key);
            }

            node.Replicated = (node.Store.Version, node.PlacementHash());
        }
    }

    // --- lookups -----------------------------------------------------------------------

    /// <summary>
    /// Iterative routing driven by this peer (DESIGN.md section 4): it asks each hop for its next
    /// step; a hop that does not answer is excluded and the previous one asked again. Hops counts
    /// the peers asked besides the initiator; the last of them delivers (it is the owner).
    /// </summary>
    private async Task<LookupResult> IterativeLookupAsync(PastryPeer node, NodeId key)
    {
        var dead = new HashSet<NodeId>();
        var path = new List<Hop> { new(_self, 0, "initiator") };
        var latency = 0.0;
        var messages = 0;
        var deadSkipped = 0;
        var maxHops = node.Parameters.Rows + 64;
        var decision = PastryRouter.Route(node.State, key);
        while (!decision.IsDelivery)
        {
            if (path.Count > maxHops || path.Exists(h => h.Node == decision.Node))
            {
                return Failed(key, path, latency, messages, deadSkipped, path.Count > maxHops ? "too many hops" : "routing loop");
            }

            var next = decision.Node;
            var rtt = node.Network.Rtt(_self, next);
            using var hop = P2PTelemetry.StartHop(Protocol, path.Count, node.Space.Format(next));
            try
            {
                messages++;
                latency += rtt;
                node.LookupMessages++;
                P2PTelemetry.CountMessage(Protocol, P2PTelemetry.LookupKind, "route_step");
                var answer = await Peer(next).RouteStepAsync(key, [.. dead]);
                path.Add(new Hop(next, rtt, ReasonText(decision.Reason)));
                decision = answer;
            }
            catch (Exception e) when (Unreachable.Is(e))
            {
                hop?.SetTag("p2p.hop.dead", true);
                hop?.SetStatus(ActivityStatusCode.Error);
                deadSkipped++;
                dead.Add(next);
                if (_peer is { } alive)
                {
                    ForgetIfGone(alive, next, e);
                }

                // Ask the previous hop again, with the dead node excluded.
                var previous = path[^1].Node;
                try
                {
                    decision = previous == _self
                        ? PastryRouter.Route(node.State, key, dead)
                        : await Peer(previous).RouteStepAsync(key, [.. dead]);
                }
                catch (Exception again) when (Unreachable.Is(again))
                {
                    return Failed(key, path, latency, messages, deadSkipped, $"peer {node.Space.Format(previous)} died during the lookup");
                }
            }
        }

        return new LookupResult(key, path[^1].Node, path.Count - 1, path, latency, true, null, messages, deadSkipped);
    }

    private async Task<LookupResult> RecursiveLookupAsync(PastryPeer node, NodeId key)
    {
        var start = new Hop(_self, 0, "initiator");
        try
        {
            var rest = await ForwardAsync(node, key, 0);
            var path = new List<Hop> { start };
            path.AddRange(rest);
            return new LookupResult(key, path[^1].Node, path.Count - 1, path, rest.Sum(h => h.RttMs), true, null, path.Count - 1, 0);
        }
        catch (P2PException e)
        {
            return Failed(key, [start], 0, 0, 0, e.Message);
        }
    }

    private static LookupResult Failed(NodeId key, List<Hop> path, double latency, int messages, int deadSkipped, string error) =>
        new(key, NodeId.Zero, path.Count - 1, path, latency, false, error, messages, deadSkipped);

    private static string ReasonText(PastryRouteReason reason) => reason switch
    {
        PastryRouteReason.LeafSet => "leaf set",
        PastryRouteReason.RoutingTable => "routing table",
        _ => "rare case",
    };

    private static void CheckKey(PastryPeer node, NodeId key)
    {
        if (!node.Space.Contains(key))
        {
            throw new P2PException($"key id does not fit in {node.Space.Bits} bits");
        }
    }

    // --- plumbing ----------------------------------------------------------------------

    private IOverlayRegistryGrain Registry => GrainFactory.GetGrain<IOverlayRegistryGrain>(_overlay);

    private IPastryPeerGrain Peer(NodeId id) => GrainFactory.GetGrain<IPastryPeerGrain>(PeerKeys.For(_overlay, id));

    private static void CountMaintenance(PastryPeer node, string type)
    {
        node.MaintenanceMessages++;
        P2PTelemetry.CountMessage(Protocol, P2PTelemetry.MaintenanceKind, type);
    }

    private async Task<bool> PingQuietlyAsync(NodeId id)
    {
        try
        {
            await Peer(id).PingAsync();
            return true;
        }
        catch (Exception e) when (Unreachable.Is(e))
        {
            return false;
        }
    }

    /// <summary>Calls a peer; false (and the peer dropped from every table unless only unavailable in a durable overlay) when it is unreachable.</summary>
    private async Task TryAsync(NodeId id, string type, Func<IPastryPeerGrain, Task> call) => await TryAsync(id, type, call, _peer);

    private async Task<bool> TryAsync(NodeId id, string type, Func<IPastryPeerGrain, Task> call, PastryPeer? node)
    {
        if (node is not null)
        {
            CountMaintenance(node, type);
        }

        try
        {
            await call(Peer(id));
            return true;
        }
        catch (Exception e) when (Unreachable.Is(e))
        {
            if (_peer is { } n)
            {
                ForgetIfGone(n, id, e);
            }

            return false;
        }
    }

    /// <summary>
    /// Volatile overlays forget a peer at the first failed call (DESIGN.md section 6). A durable peer
    /// is forgotten only when it answered that it is not a member (it failed or left): any other
    /// failure (silo unavailable, rejected, timed out) means its silo is going down, and the peer is
    /// reactivated elsewhere with its persisted state on the next call once membership declares the
    /// silo dead; until then lookups route around it and the next round tries it again.
    /// </summary>
    private void ForgetIfGone(PastryPeer node, NodeId peer, Exception e)
    {
        if (node.Parameters.Durable && !Unreachable.IsNotMember(e))
        {
            return;
        }

        Forget(node, peer);
    }

    /// <summary>Drops a dead node from every table and queues the repair of its routing-table slot.</summary>
    private void Forget(PastryPeer node, NodeId dead)
    {
        if (dead == _self)
        {
            return;
        }

        node.MarkDead(dead);
        var slot = node.State.RoutingTable.SlotOf(dead);
        var where = node.State.Forget(dead);
        if ((where & PastryTables.RoutingTable) != 0 && slot is { } s)
        {
            node.PendingRepairs.Add(s);
        }
    }

    private void StartClock(PastryPeer peer)
    {
        if (peer.Parameters.Clock != ClockMode.Live)
        {
            return;
        }

        var period = TimeSpan.FromMilliseconds(peer.Parameters.PeriodMs);
        _timer = this.RegisterGrainTimer(
            static (self, _) => self._peer is null ? Task.CompletedTask : self.TickAsync(0),
            this,
            new GrainTimerCreationOptions(period, period) { Interleave = true, KeepAlive = true });
    }

    /// <summary>
    /// Durable peers write their state after each operation that changed what a restarted peer needs
    /// (membership, leaf set, keys and replicas): join, install, announce and departure notices that
    /// changed the leaf set, leaf-set heartbeats that did, store, replica store (which includes a
    /// leave hand-off) and the end of a round, one coalesced write per operation. Routing-table and
    /// neighbourhood changes alone never write: they only speed routing up, while delivery rests on
    /// the leaf set (Rowstron and Druschel sections 2.3 and 3: a message reaches the numerically
    /// closest node unless |L|/2 adjacent nodes fail together), and repair rebuilds them after a
    /// restore. The tables saved with the other writes are a free head start. Volatile peers return
    /// at once: no storage writes at all.
    /// </summary>
    private Task PersistAsync(PastryPeer node) => _storage.PersistAsync(node);

    /// <summary>A durable peer that fails, leaves or is stopped deletes its record, so it does not come back.</summary>
    private Task ForgetStoredAsync(PastryPeer node) => _storage.ForgetAsync(node);

    /// <summary>(key store version, leaf-set hash), like the replication signature.</summary>
    private static (long StoreVersion, int Leaves) Marker(PastryPeer node) => (node.Store.Version, node.LeafHash());

    private void Stop()
    {
        _peer?.Store.Clear();
        _peer = null;
        _timer?.Dispose();
        _timer = null;
        P2PTelemetry.ActivePeers.Add(-1);
        DeactivateOnIdle();
    }
}
