using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P2POrleans.Common;
using P2POrleans.Pastry.Tables;

namespace P2POrleans.Pastry;

/// <summary>
/// A Pastry peer: holds a <see cref="PastryNode"/> (the pure core) and sends the messages that
/// <see cref="PastryJoinRoute"/>, <see cref="PastryLookup"/> and <see cref="PastryMaintenance"/> decide,
/// through the shared call policy (<see cref="PeerCalls{TPeer}"/>; docs/architecture.md, peer grains).
/// Reentrant because a joining node is called back while it announces itself (docs/pastry.md): every
/// method re-reads state after each await.
/// </summary>
[Orleans.Concurrency.Reentrant]
[CollectionAgeLimit(AlwaysActive = true)]
[Orleans.Placement.RandomPlacement] // peers spread over the silos, so a silo crash takes a random subset
public sealed class PastryPeerGrain : PeerGrain<PastryNode, PastryPeerRecord, (long StoreVersion, int Leaves), IPastryPeerGrain>, IPastryPeerGrain
{
    private const string Name = PastryParameters.Name;

    private readonly PastryLookup _lookup;
    private readonly PastryMaintenance _maintenance;
    private readonly PastryJoinRoute _join;

    public PastryPeerGrain(ILogger<PastryPeerGrain> logger, Orleans.Serialization.Serializer serializer, IOptions<PeerCallOptions> callOptions, TimeProvider time)
        : base(Name, logger, serializer, callOptions, time)
    {
        _lookup = new PastryLookup(Calls);
        _maintenance = new PastryMaintenance(Calls, () => Current);
        _join = new PastryJoinRoute(Calls);
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
        var state = candidates.Count == 0
            ? new PastryRoutingState(Self, parameters, network.Rtt)
            : await _join.BuildStateAsync(Self, parameters, network, candidates);

        if (Current is not null)
        {
            throw new P2PException($"peer {parameters.Space.Format(Self)} joined twice at once");
        }

        var node = new PastryNode(parameters, request.Address, state, network) { Silo = Silo };
        Current = node;

        // X sends a copy of its state to every node in it; they update their own (section 2.4).
        await _maintenance.AnnounceAsync(Self, state);
        await Registry.AddMemberAsync(Self);
        StartMembership(node);
        await PersistAsync(node);
        return node.Snapshot();
    }

    public async Task InstallAsync(PastryParameters parameters, string address, PastryPeerState state)
    {
        var network = Current?.Network ?? new NetworkModel(parameters.Seed);
        var restored = PastrySnapshots.Restore(state with { Id = Self }, parameters, network.Rtt);
        if (Current is { } existing)
        {
            existing.Install(restored);
            await PersistAsync(existing);
            return;
        }

        var node = new PastryNode(parameters, address, restored, network) { Silo = Silo };
        Current = node;
        StartMembership(node);
        await PersistAsync(node);
    }

    public async Task LeaveAsync()
    {
        var node = Node;

        // Graceful leave: the keys to their holders among the remaining nodes, every node of our
        // state told, with our leaf set (computed before the node is dropped).
        var leafSet = node.State.LeafSet.Snapshot();
        var targets = node.State.KnownNodes.ToList();
        var handOver = node.HandOver();
        Stop();
        await ForgetStoredAsync(node);
        await _maintenance.LeaveAsync(Self, handOver, targets, leafSet);
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
        return await _lookup.ForwardAsync(node, key, hopIndex);
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
        node.MergeLeafSet(sender);
        var reply = node.LeafSetReply();
        await PersistAsync(node);
        return reply;
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

    public async Task StoreReplicasAsync(IReadOnlyList<StoredItem> items)
    {
        var node = Node;
        foreach (var item in items)
        {
            node.Store.Put(item);
        }

        await PersistAsync(node);
    }

    public async Task<IReadOnlyList<NodeId>> StoreAsync(StoredItem item)
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
        CheckKey(node, key);
        using var activity = P2PTelemetry.StartLookup(Name, Overlay, keyText ?? node.Space.Format(key), node.Space.Format(Self));
        var result = await _lookup.RunAsync(node, key);
        P2PTelemetry.CompleteLookup(activity, Protocol, result.Hops, result.LatencyMs, node.Space.Format(result.Owner), result.Success);
        return result;
    }

    public async Task<PutResult> PutAsync(string key, string value)
    {
        var node = Node;
        var keyId = node.Space.Hash(key);
        var lookup = await LookupAsync(keyId, key);
        if (!lookup.Success)
        {
            return new PutResult([], lookup);
        }

        var item = new StoredItem(key, keyId, value);
        if (lookup.Owner == Self)
        {
            return new PutResult(await StoreAsync(item), lookup);
        }

        // The root stores, then writes each copy before it answers: one more timeout per copy.
        var stored = await Calls.CallAsync(lookup.Owner, null, p => p.StoreAsync(item), nested: node.Parameters.Replicas - 1);
        return stored.Ok
            ? new PutResult(stored.Value!, lookup)
            : throw new P2PException($"the root {node.Space.Format(lookup.Owner)} of '{key}' was found but then did not take the key: {Unreachable.Describe(stored.Fault, Calls.Timeout)}");
    }

    public async Task<GetResult> GetAsync(string key)
    {
        var node = Node;
        var keyId = node.Space.Hash(key);
        var lookup = await LookupAsync(keyId, key);
        if (!lookup.Success)
        {
            return new GetResult(null, null, lookup);
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
                return new GetResult(read.Value, candidate, lookup);
            }

            // A holder whose silo did not answer may come back with the key (a durable peer): unavailable, not missing.
            unreachable += read.Fault is PeerFault.SiloUnreachable or PeerFault.TimedOut ? 1 : 0;
        }

        return new GetResult(null, null, lookup) { HoldersUnreachable = unreachable + lookup.OwnersUnanswered };
    }

    public Task<PastryPeerState> GetStateAsync() => Task.FromResult(Node.Snapshot());

    public Task<IReadOnlyList<NodeId>> GetKeyIdsAsync() => Task.FromResult(Node.Store.KeyIds());

    // --- periodic work -----------------------------------------------------------------

    /// <summary>One round of maintenance (<see cref="PastryMaintenance.RoundAsync"/>), then the durable write.</summary>
    public override async Task TickAsync(long round)
    {
        var node = Node;
        await _maintenance.RoundAsync(node);
        await PersistAsync(node);
        if (Current == node)
        {
            P2PTelemetry.StateEntries.Record(node.State.Size().TotalEntries, new KeyValuePair<string, object?>("p2p.protocol", Name));
        }
    }

    private static void CheckKey(PastryNode node, NodeId key)
    {
        if (!node.Space.Contains(key))
        {
            throw new P2PException($"key id does not fit in {node.Space.Bits} bits");
        }
    }

    // --- durable record ----------------------------------------------------------------

    protected override PastryNode? Restore(PastryPeerRecord record)
    {
        if (record is not { Member: true, Parameters.Durable: true })
        {
            return null;
        }

        var node = PastryNode.FromRecord(Self, record);
        node.Silo = Silo;
        return node;
    }

    protected override PastryPeerRecord ToRecord(PastryNode node) => node.ToRecord();

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
    protected override (long StoreVersion, int Leaves) Marker(PastryNode node) => (node.Store.Version, node.LeafHash());

    protected override string RestoredSummary(PastryNode node) => $"{node.Store.Count} keys";

    protected override void OnStopping(PastryNode node) => node.Store.Clear();
}
