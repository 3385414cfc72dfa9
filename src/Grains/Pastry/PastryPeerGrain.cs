using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P2POrleans.Common;

namespace P2POrleans.Pastry;

/// <summary>
/// A Pastry peer. Routing decisions come from <see cref="PastryRouter"/>, join and repair from
/// <see cref="PastryJoin"/> and <see cref="PastryRepair"/>, state lives in <see cref="PastryNodeState"/>;
/// calls to other peers go through the shared call policy (<see cref="PeerCalls{TPeer}"/>). Reentrant
/// because a joining node is called back while it announces itself (docs/pastry.md): every method
/// re-reads state after each await.
/// </summary>
[Orleans.Concurrency.Reentrant]
[CollectionAgeLimit(AlwaysActive = true)]
[Orleans.Placement.RandomPlacement] // peers spread over the silos, so a silo crash takes a random subset
public sealed class PastryPeerGrain : PeerGrain<PastryPeer, PastryPeerRecord, (long StoreVersion, int Leaves), IPastryPeerGrain>, IPastryPeerGrain
{
    private const string Name = PastryParameters.Name;
    private const int NearbyProbes = 4;
    private const int FanOut = 8;
    private const int RepairContactsPerSlot = 3;

    /// <summary>Hops a recursive route is given: each forwarder waits one per-call timeout per hop that may still follow.</summary>
    private const int RecursiveHopBudget = 32;

    public PastryPeerGrain(ILogger<PastryPeerGrain> logger, Orleans.Serialization.Serializer serializer, [PersistentState("pastry", P2PStorage.Name)] IPersistentState<StoredBlob> stored, IOptions<PeerCallOptions> callOptions, TimeProvider time)
        : base(Name, logger, serializer, stored, callOptions, time)
    {
    }

    protected override string ShortSelf => Self.ToHex()[^8..];

    // --- membership -------------------------------------------------------------------

    public async Task<PastryPeerState> JoinAsync(PastryJoinRequest request)
    {
        if (Current is not null)
        {
            throw new P2PException($"peer {request.Parameters.Space.Format(Self)} is already a member of '{Overlay}'");
        }

        var parameters = request.Parameters;
        var network = new NetworkModel(parameters.Seed);
        var candidates = request.Nearby.Where(n => n != Self).Distinct().ToList();
        PastryNodeState state;
        if (candidates.Count == 0)
        {
            state = new PastryNodeState(Self, parameters, network.Rtt);
        }
        else
        {
            state = await JoinStateAsync(parameters, network, candidates);
        }

        if (Current is not null)
        {
            throw new P2PException($"peer {parameters.Space.Format(Self)} joined twice at once");
        }

        var peer = new PastryPeer(parameters, request.Address, state, network) { Silo = Silo };
        Current = peer;

        // X sends a copy of its state to every node in it; they update their own (section 2.4). A
        // receiver may copy keys to the newcomer before it answers: one call of its own.
        var known = state.KnownNodes.ToImmutableArray();
        await Concurrently.ForEachAsync(PastryJoin.AnnounceTargets(state), FanOut,
            target => Calls.TryAsync(target, "announce", p => p.AnnounceAsync(Self, known), nested: 1));

        await Registry.AddMemberAsync(Self);
        StartMembership(peer);
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
            if (await Calls.TryAsync(candidate, null, p => p.PingAsync()) && (nearby is not { } best || network.Rtt(Self, candidate) < network.Rtt(Self, best)))
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
            var asked = await Calls.CallAsync(current, "join", p => p.JoinStepAsync(Self, [.. dead]));
            if (!asked.Ok)
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

            var step = asked.Value!;
            route.Add(step.Rows);
            if (step.Decision.IsDelivery || route.Exists(r => r.From == step.Decision.Node))
            {
                closest = step.LeafSet ?? await LeafSetOfAsync(current);
                break;
            }

            current = step.Decision.Node;
        }

        // When A died after routing, the route and Z's leaf set are enough to start with.
        var neighbourhood = (await Calls.CallAsync(a, null, p => p.GetNeighbourhoodAsync())).Value;

        return PastryJoin.BuildState(Self, parameters, network.Rtt, route, closest, neighbourhood, dead);
    }

    private async Task<PastryLeafSetSnapshot?> LeafSetOfAsync(NodeId node) => (await Calls.CallAsync(node, null, p => p.GetLeafSetAsync())).Value;

    public async Task InstallAsync(PastryParameters parameters, string address, PastryPeerState state)
    {
        var network = Current?.Network ?? new NetworkModel(parameters.Seed);
        var restored = PastrySnapshots.Restore(state with { Id = Self }, parameters, network.Rtt);
        if (Current is { } existing)
        {
            existing.State = restored;
            existing.PendingRepairs.Clear();
            existing.Replicated = (-1, 0);
            existing.LearnSilos(restored.LeafSet.Snapshot());
            await PersistAsync(existing);
            return;
        }

        var peer = new PastryPeer(parameters, address, restored, network) { Silo = Silo };
        Current = peer;
        StartMembership(peer);
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
            await Calls.TryAsync(holder, "hand_over", p => p.StoreReplicasAsync(items));
        }

        await Concurrently.ForEachAsync(targets, FanOut, target => Calls.TryAsync(target, "departing", p => p.DepartingAsync(Self, leafSet)));
        await Registry.RemoveMemberAsync(Self);
        Logger.LogDebug("Pastry peer {Peer} left {Overlay}", Self, Overlay);
    }

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
        using var span = P2PTelemetry.StartHop(Name, hopIndex, node.Space.Format(Self));
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

            var rest = await Calls.CallAsync(decision.Node, "route", p => p.RouteAsync(key, hopIndex + 1), P2PTelemetry.LookupKind, Math.Max(1, RecursiveHopBudget - hopIndex));
            if (rest.Ok)
            {
                return [new Hop(decision.Node, node.Network.Rtt(Self, decision.Node), ReasonText(decision.Reason)), .. rest.Value!];
            }

            dead.Add(decision.Node);

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
        PastryRepair.MergeLeafSet(node.State, snapshot with { Smaller = [.. snapshot.Smaller.Where(id => id != Self)], Larger = [.. snapshot.Larger.Where(id => id != Self)] }, node.Dead);
        node.LearnSilos(snapshot);
    }

    public async Task AnnounceAsync(NodeId joined, ImmutableArray<NodeId> state)
    {
        var node = Node;
        node.Dead.Remove(joined);
        var where = PastryJoin.AcceptAnnouncement(node.State, joined, state.Where(id => id != Self), node.Dead);
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
                await Calls.TryAsync(joined, "replicate", p => p.StoreReplicasAsync(items));
            }
        }

        await persisted;
    }

    public async Task DepartingAsync(NodeId leaving, PastryLeafSetSnapshot leafSet)
    {
        var node = Node;
        node.Forget(leaving);
        node.State.LearnAll(leafSet.Smaller.Concat(leafSet.Larger).Where(id => id != leaving && id != Self), node.Dead);
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
        var stored = new List<NodeId> { Self };
        foreach (var holder in node.Holders(item.KeyId).Where(h => h != Self))
        {
            if (await Calls.TryAsync(holder, "replicate", p => p.StoreReplicasAsync([item])))
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

        using var activity = P2PTelemetry.StartLookup(Name, Overlay, keyText ?? node.Space.Format(key), node.Space.Format(Self));
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
        if (lookup.Owner == Self)
        {
            return new PastryPutResult(await StoreAsync(item), lookup);
        }

        // The root stores, then writes each copy before it answers: one more timeout per copy.
        var stored = await Calls.CallAsync(lookup.Owner, null, p => p.StoreAsync(item), nested: node.Parameters.Replicas - 1);
        return stored.Ok
            ? new PastryPutResult(stored.Value!, lookup)
            : throw new P2PException($"the root {node.Space.Format(lookup.Owner)} of '{key}' was found but then did not take the key: {Unreachable.Describe(stored.Fault, Calls.Timeout)}");
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
        candidates.AddRange(lookup.Owner == Self ? node.Holders(keyId) : (await Calls.CallAsync(lookup.Owner, null, p => p.ReplicaSetAsync(keyId))).Value ?? []);
        foreach (var candidate in candidates.Distinct())
        {
            var read = candidate == Self ? new PeerCallResult<string?>(PeerFault.None, false, node.Store.Get(key)) : await Calls.CallAsync(candidate, null, p => p.ReadLocalAsync(key));
            if (read.Value is not null)
            {
                return new PastryGetResult(read.Value, candidate, lookup);
            }

            // A holder whose silo did not answer may come back with the key (a durable peer): unavailable, not missing.
            unreachable += read.Fault is PeerFault.SiloUnreachable or PeerFault.TimedOut ? 1 : 0;
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
    public override async Task TickAsync(long round)
    {
        var node = Node;
        await ProbeAsync(node);
        await RepairLeafSetAsync(node);
        await RepairRoutingTableAsync(node);
        await RepairNeighbourhoodAsync(node);
        await ReplicateAsync(node);
        await PersistAsync(node);
        if (Current == node)
        {
            P2PTelemetry.StateEntries.Record(node.State.Size().TotalEntries, new KeyValuePair<string, object?>("p2p.protocol", Name));
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
            if (await Calls.TryAsync(leaf, "leafset_heartbeat", async p => theirs = await p.ExchangeLeafSetAsync(mine)) && theirs is not null && Current == node)
            {
                Merge(node, theirs);
            }
        });
        await Concurrently.ForEachAsync(others, FanOut, target => Calls.TryAsync(target, "probe", p => p.PingAsync()));
    }

    private async Task RepairLeafSetAsync(PastryPeer node)
    {
        foreach (var side in new[] { LeafSides.Smaller, LeafSides.Larger })
        {
            // A full side that lost nobody is right; a short one may just reflect a small network.
            for (var attempt = 0; attempt < 3 && Current == node && !node.State.LeafSet.IsFull(side); attempt++)
            {
                var before = node.LeafHash();
                if (PastryRepair.LeafSetRepairContact(node.State.LeafSet, side) is not { } contact)
                {
                    break;
                }

                var snapshot = await Calls.CallAsync(contact, "leafset_repair", p => p.GetLeafSetAsync());
                if (!snapshot.Ok)
                {
                    continue;
                }

                if (Current != node)
                {
                    return;
                }

                Merge(node, snapshot.Value!);

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
            if (Current != node)
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
                var answers = await Calls.CallAsync(contact, "table_repair", p => p.RepairCandidatesAsync(Self, row, column));
                if (answers.Ok && PastryRepair.MergeRoutingRepair(node.State, row, column, answers.Value, node.Dead))
                {
                    break;
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
        var snapshot = await Calls.CallAsync(contact, "neighbourhood_repair", p => p.GetNeighbourhoodAsync());
        if (snapshot.Ok && Current == node)
        {
            foreach (var member in snapshot.Value!.Members.Where(m => m != Self && !node.Dead.Contains(m)))
            {
                node.State.NeighbourhoodSet.Consider(member);
            }
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
            if (!holders.Contains(Self))
            {
                handedOver.Add(item);
            }

            foreach (var holder in holders.Where(h => h != Self))
            {
                (pushes.TryGetValue(holder, out var list) ? list : pushes[holder] = []).Add(item);
            }
        }

        var failed = new HashSet<NodeId>();
        foreach (var (holder, items) in pushes)
        {
            if (!await Calls.TryAsync(holder, "replicate", p => p.StoreReplicasAsync(items)))
            {
                failed.Add(holder);
            }
        }

        if (Current != node)
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
    /// Iterative routing driven by this peer (docs/pastry.md): it asks each hop for its next step; a
    /// hop that does not answer is excluded and the previous one asked again. Hops counts the peers
    /// asked besides the initiator; the last of them delivers (it is the owner).
    /// </summary>
    private async Task<LookupResult> IterativeLookupAsync(PastryPeer node, NodeId key)
    {
        var walk = new LookupWalk(Name, key, Self);
        var path = walk.Path;
        var maxHops = node.Parameters.Rows + 64;
        var decision = PastryRouter.Route(node.State, key);
        while (!decision.IsDelivery)
        {
            if (path.Count > maxHops || path.Exists(h => h.Node == decision.Node))
            {
                return walk.Fail(path.Count > maxHops ? "too many hops" : "routing loop");
            }

            var next = decision.Node;
            var rtt = node.Network.Rtt(Self, next);
            var dead = walk.Dead.ToList();
            var answer = await walk.AskAsync(next, node.Space.Format(next), path.Count, rtt,
                () => Calls.CallAsync(next, "route_step", p => p.RouteStepAsync(key, dead), walk.Kind));
            if (answer.Ok)
            {
                path.Add(new Hop(next, rtt, ReasonText(decision.Reason)));
                decision = answer.Value!;
                continue;
            }

            // Ask the previous hop again, with the dead node excluded.
            var previous = path[^1].Node;
            if (previous == Self)
            {
                decision = PastryRouter.Route(node.State, key, walk.Dead);
                continue;
            }

            var excluded = walk.Dead.ToList();
            var again = await Calls.CallAsync(previous, null, p => p.RouteStepAsync(key, excluded));
            if (!again.Ok)
            {
                return walk.Fail($"peer {node.Space.Format(previous)} died during the lookup");
            }

            decision = again.Value!;
        }

        return walk.Succeed(path[^1].Node);
    }

    private async Task<LookupResult> RecursiveLookupAsync(PastryPeer node, NodeId key)
    {
        var start = new Hop(Self, 0, "initiator");
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

    // --- durable record ----------------------------------------------------------------

    protected override PastryPeer? Restore(PastryPeerRecord record)
    {
        if (record is not { Member: true, Parameters.Durable: true })
        {
            return null;
        }

        var peer = PastryPeer.FromRecord(Self, record);
        peer.Silo = Silo;
        return peer;
    }

    protected override PastryPeerRecord ToRecord(PastryPeer node) => node.ToRecord();

    /// <summary>
    /// (key store version, leaf-set hash), like the replication signature. Durable peers write after
    /// each operation that changed what a restarted peer needs (membership, leaf set, keys and
    /// replicas): join, install, announce and departure notices that changed the leaf set, leaf-set
    /// heartbeats that did, store, replica store (which includes a leave hand-off) and the end of a
    /// round. Routing-table and neighbourhood changes alone never write: they only speed routing up,
    /// while delivery rests on the leaf set (Rowstron and Druschel sections 2.3 and 3: a message
    /// reaches the numerically closest node unless |L|/2 adjacent nodes fail together), and repair
    /// rebuilds them after a restore.
    /// </summary>
    protected override (long StoreVersion, int Leaves) Marker(PastryPeer node) => (node.Store.Version, node.LeafHash());

    protected override string RestoredSummary(PastryPeer node) => $"{node.Store.Count} keys";

    protected override void OnStopping(PastryPeer node) => node.Store.Clear();
}
