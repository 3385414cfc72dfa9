using System.Diagnostics;
using Microsoft.Extensions.Logging;
using P2POrleans.Common;

namespace P2POrleans.Chord;

/// <summary>
/// A Chord peer. Thin: routing decisions come from <see cref="ChordRouter"/>, state lives in
/// <see cref="FingerTable"/>, <see cref="SuccessorList"/> and <see cref="ChordKeyStore"/>. Reentrant
/// because stabilize and notify call back into their caller (DESIGN.md section 4): every method
/// re-reads state after each await.
/// </summary>
[Orleans.Concurrency.Reentrant]
[CollectionAgeLimit(AlwaysActive = true)]
[Orleans.Placement.RandomPlacement] // peers spread over the silos, so a silo crash takes a random subset of the ring
public sealed class ChordPeerGrain : Grain, IChordPeerGrain
{
    private const string Protocol = ChordParameters.Name;

    private readonly ILogger<ChordPeerGrain> _logger;
    private readonly DurablePeerStorage<ChordNode, ChordPeerRecord, (long StoreVersion, NodeId? Predecessor, NodeId[] Successors)> _storage;
    private string _overlay = "";
    private string _silo = "";
    private NodeId _self;
    private ChordNode? _node;
    private IGrainTimer? _timer;

    /// <summary>
    /// The storage is read at every activation (Orleans does it before the first call); only durable
    /// peers ever write to it, so a volatile peer finds no record and starts empty (DESIGN.md section 6).
    /// </summary>
    public ChordPeerGrain(ILogger<ChordPeerGrain> logger, Orleans.Serialization.Serializer serializer, [PersistentState("chord", P2PStorage.Name)] IPersistentState<StoredBlob> stored)
    {
        _logger = logger;
        _storage = new(stored, serializer, () => _node, n => n.Parameters.Durable, n => n.ToRecord(), Marker, SameMarker);
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_overlay, _self) = PeerKeys.Parse(this.GetPrimaryKeyString());
        _silo = GrainContext.Address.SiloAddress?.ToString() ?? "";
        if (_storage.Read() is { Member: true, Parameters.Durable: true } record)
        {
            // A durable peer whose silo crashed (or that was collected) comes back as the member it was.
            var node = ChordNode.FromRecord(_self, record);
            _node = node;
            _storage.Restored(node);
            StartClock(node);
            P2PTelemetry.ActivePeers.Add(1);
            _logger.LogInformation("Chord peer {Peer} of {Overlay} restored on {Silo} with {Keys} keys", node.Space.Format(_self), _overlay, _silo, node.Store.Count);
        }

        return Task.CompletedTask;
    }

    private ChordNode Node => _node ?? throw new PeerUnreachableException($"chord peer {_self.ToHex()[..8]} of '{_overlay}' is not a member");

    // --- membership -------------------------------------------------------------------

    public async Task<ChordPeerState> JoinAsync(ChordJoinRequest request)
    {
        if (_node is not null)
        {
            throw new P2PException($"peer {request.Parameters.Space.Format(_self)} is already a member of '{_overlay}'");
        }

        var node = new ChordNode(request.Parameters, _self, request.Address);
        _node = node;
        try
        {
            if (request.Bootstrap is { } bootstrap && bootstrap != _self)
            {
                await JoinThroughAsync(node, bootstrap);
            }
        }
        catch
        {
            _node = null;
            throw;
        }

        await Registry.AddMemberAsync(_self);
        StartClock(node);
        P2PTelemetry.ActivePeers.Add(1);
        await PersistAsync(node);
        return node.Snapshot(_silo);
    }

    public async Task InstallAsync(ChordParameters parameters, string address, NodeId? predecessor, IReadOnlyList<NodeId> successors, IReadOnlyList<FingerRun> fingers)
    {
        var node = _node ?? new ChordNode(parameters, _self, address);
        node.Predecessor = predecessor;
        node.Successors.Replace(successors);
        node.Fingers.Replace(fingers);
        if (_node is null)
        {
            _node = node;
            StartClock(node);
            P2PTelemetry.ActivePeers.Add(1);
        }

        await PersistAsync(node);
    }

    public async Task LeaveAsync()
    {
        var node = Node;

        // Graceful leave (Chord section 4.4 / ToN 5.3): hand the keys to the successor and link the
        // neighbours to each other, so the ring is correct without waiting for stabilization.
        var successor = node.Successors.First;
        var predecessor = node.Predecessor;
        var items = node.Store.Items.ToList();
        var successorsForPredecessor = node.Successors.Nodes.Where(s => s != predecessor).ToList();
        Stop();
        await ForgetStoredAsync(node);
        if (successor != _self)
        {
            await TryAsync(successor, "leave", p => p.PredecessorLeavingAsync(_self, predecessor, items));
        }

        if (predecessor is { } pred && pred != _self)
        {
            await TryAsync(pred, "leave", p => p.SuccessorLeavingAsync(_self, successorsForPredecessor));
        }

        await Registry.RemoveMemberAsync(_self);
        _logger.LogDebug("Chord peer {Peer} left {Overlay}", _self, _overlay);
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
        if (_node is { } node)
        {
            Stop();
            await ForgetStoredAsync(node);
        }
    }

    public Task<bool> IsMemberAsync() => Task.FromResult(_node is not null);

    // --- messages ----------------------------------------------------------------------

    public Task<ChordNextStep> FindNextAsync(NodeId key, IReadOnlyList<NodeId> exclude)
    {
        var node = Node;
        return Task.FromResult(ChordRouter.NextStep(node.Space, _self, key, node.Successors, node.Fingers, exclude.Count == 0 ? null : exclude.ToHashSet()));
    }

    public async Task<IReadOnlyList<Hop>> RouteAsync(NodeId key, int hopIndex, NodeId initiator)
    {
        var node = Node;
        using var hop = P2PTelemetry.StartHop(Protocol, hopIndex, node.Space.Format(_self));
        var dead = new HashSet<NodeId>();
        while (true)
        {
            var step = ChordRouter.NextStep(node.Space, _self, key, node.Successors, node.Fingers, dead.Count == 0 ? null : dead);
            if (step.IsOwner)
            {
                return [new Hop(step.Node, 0, "owner")];
            }

            node.LookupMessages++;
            P2PTelemetry.CountMessage(Protocol, P2PTelemetry.LookupKind, "route");
            try
            {
                var rest = await Peer(step.Node).RouteAsync(key, hopIndex + 1, initiator);
                var rtt = node.Network.Rtt(_self, step.Node);
                return [new Hop(step.Node, rtt, "closest preceding"), .. rest];
            }
            catch (Exception e) when (Unreachable.Is(e))
            {
                dead.Add(step.Node);
                ForgetIfGone(node, step.Node, e);
            }
        }
    }

    public Task<ChordNeighbours> GetNeighboursAsync()
    {
        var node = Node;
        var silos = node.Parameters.SpreadReplicas ? node.SiloList() : null;
        return Task.FromResult(new ChordNeighbours(node.Predecessor, node.Successors.Nodes.ToList(), _silo, silos));
    }

    public async Task<ChordNotifyResult> NotifyAsync(NodeId candidate)
    {
        var node = Node;

        // notify(n'): if predecessor is nil or n' in (predecessor, n), predecessor := n' (Chord figure 7).
        if (candidate == _self || (node.Predecessor is { } p && p != candidate && !node.Space.InOpenOpen(candidate, p, _self)))
        {
            return new ChordNotifyResult(false, [], node.Predecessor);
        }

        var previous = node.Predecessor;
        node.Predecessor = candidate;
        if (node.Successors.First == _self)
        {
            // A ring of one that gains a second node: it is both our predecessor and our successor.
            node.Successors.Replace([candidate]);
            node.Fingers.Set(0, candidate);
        }

        // Keys in (previous, candidate] now belong to the candidate; we keep them as its first replica.
        var moving = previous is { } prev
            ? node.Store.InRange(node.Space, prev, candidate)
            : node.Store.InRange(node.Space, _self, candidate);
        node.ReplicatedVersion = -1;
        await PersistAsync(node);
        return new ChordNotifyResult(true, moving, previous);
    }

    public Task PingAsync()
    {
        _ = Node;
        return Task.CompletedTask;
    }

    public async Task StabilizeAsync()
    {
        var node = Node;
        await StabilizeAsync(node);
        await PersistAsync(node);
    }

    public async Task SuccessorLeavingAsync(NodeId leaving, IReadOnlyList<NodeId> successors)
    {
        var node = Node;
        node.Successors.Remove(leaving);
        node.Fingers.Remove(leaving);
        var list = successors.Where(s => s != leaving && s != _self).ToList();
        if (list.Count > 0)
        {
            node.Successors.Replace(list);
        }

        node.ReplicatedVersion = -1;
        await PersistAsync(node);
    }

    public async Task PredecessorLeavingAsync(NodeId leaving, NodeId? predecessor, IReadOnlyList<StoredItem> keys)
    {
        var node = Node;
        foreach (var item in keys)
        {
            node.Store.Put(item);
        }

        if (node.Predecessor == leaving)
        {
            node.Predecessor = predecessor == _self ? null : predecessor;
        }

        Forget(node, leaving);
        await PersistAsync(node);
    }

    public async Task<IReadOnlyList<NodeId>> StoreAsync(StoredItem item, bool asOwner)
    {
        var node = Node;
        node.Store.Put(item);
        if (!asOwner)
        {
            await PersistAsync(node);
            return [_self];
        }

        // The owner writes the copies at its replica targets before answering (the next replicas - 1
        // successors, or spread over silos); a durable owner's own write runs meanwhile.
        var persisted = PersistAsync(node);
        var stored = new List<NodeId> { _self };
        foreach (var s in node.ReplicaTargets(_silo))
        {
            if (await TryAsync(s, "replicate", p => p.StoreReplicasAsync([item])))
            {
                stored.Add(s);
            }
        }

        await persisted;
        return stored;
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
        var result = node.Parameters.Mode == ChordMode.Recursive
            ? await RecursiveLookupAsync(node, key)
            : await IterativeLookupAsync(node, key, _self, verifyOwner: true, traced: true);
        P2PTelemetry.CompleteLookup(activity, Protocol, result.Hops, result.LatencyMs, node.Space.Format(result.Owner), result.Success);
        return result;
    }

    public async Task<ChordPutResult> PutAsync(string key, string value)
    {
        var node = Node;
        var keyId = node.Space.Hash(key);
        var lookup = await LookupAsync(keyId, key);
        if (!lookup.Success)
        {
            return new ChordPutResult([], lookup);
        }

        var item = new StoredItem(key, keyId, value);
        var stored = lookup.Owner == _self
            ? await StoreAsync(item, asOwner: true)
            : await Peer(lookup.Owner).StoreAsync(item, asOwner: true);
        return new ChordPutResult(stored, lookup);
    }

    public async Task<ChordGetResult> GetAsync(string key)
    {
        var node = Node;
        var keyId = node.Space.Hash(key);
        var lookup = await LookupAsync(keyId, key);
        if (!lookup.Success)
        {
            return new ChordGetResult(null, null, lookup);
        }

        // The owner answers; while a failure is not yet repaired, the next successors hold replicas.
        var unreachable = 0;
        var candidates = new List<NodeId> { lookup.Owner };
        if (lookup.Owner == _self)
        {
            candidates.AddRange(node.ReplicaTargets(_silo));
        }
        else
        {
            try
            {
                var neighbours = await Peer(lookup.Owner).GetNeighboursAsync();
                var silos = new Dictionary<NodeId, string>();
                for (var i = 0; i < Math.Min(neighbours.Successors.Count, neighbours.SuccessorSilos?.Count ?? 0); i++)
                {
                    if (neighbours.SuccessorSilos![i] is { } silo)
                    {
                        silos[neighbours.Successors[i]] = silo;
                    }
                }

                candidates.AddRange(ChordNode.ReplicaTargets(node.Parameters, neighbours.Silo, neighbours.Successors.Where(s => s != lookup.Owner).ToList(), silos));
            }
            catch (Exception e) when (Unreachable.Is(e))
            {
            }
        }

        foreach (var candidate in candidates.Distinct())
        {
            try
            {
                var value = candidate == _self ? node.Store.Get(key) : await Peer(candidate).ReadLocalAsync(key);
                if (value is not null)
                {
                    return new ChordGetResult(value, candidate, lookup);
                }
            }
            catch (Exception e) when (Unreachable.Is(e))
            {
                unreachable += Unreachable.IsNotMember(e) ? 0 : 1;
            }
        }

        return new ChordGetResult(null, null, lookup) { HoldersUnreachable = unreachable };
    }

    public Task<ChordPeerState> GetStateAsync() => Task.FromResult(Node.Snapshot(_silo));

    public Task<IReadOnlyList<NodeId>> GetKeyIdsAsync() =>
        Task.FromResult<IReadOnlyList<NodeId>>(Node.Store.Items.Select(i => i.KeyId).ToList());

    // --- periodic work -----------------------------------------------------------------

    public async Task TickAsync(long round)
    {
        var node = Node;
        await CheckPredecessorAsync(node);
        await StabilizeAsync(node);
        await FixFingersAsync(node);
        await ReplicateAsync(node);
        await PersistAsync(node);
        P2PTelemetry.StateEntries.Record(node.Fingers.Runs.Count + node.Successors.Nodes.Count + 1,
            new KeyValuePair<string, object?>("p2p.protocol", Protocol));
    }

    /// <summary>check_predecessor (Chord figure 7): forget a predecessor that does not answer.</summary>
    private async Task CheckPredecessorAsync(ChordNode node)
    {
        // A durable predecessor that is only unavailable (its silo is being declared dead) is kept: it comes back with its state.
        if (node.Predecessor is { } pred && pred != _self && await TryCallAsync(pred, "check_predecessor", p => p.PingAsync()) == CallOutcome.Gone)
        {
            if (_node == node && node.Predecessor == pred)
            {
                node.Predecessor = null;
                node.ReplicatedVersion = -1;
            }
        }
    }

    /// <summary>
    /// stabilize (Chord figure 7) with the successor list of ToN section 5.2: ask the first live
    /// successor for its predecessor x; adopt x if it lies between us; copy its successor list; notify it.
    /// </summary>
    private async Task StabilizeAsync(ChordNode node)
    {
        while (_node == node)
        {
            var successor = node.Successors.First;
            if (successor == _self)
            {
                // Alone, or every successor died: a live finger or the predecessor closes the ring again.
                var other = node.Fingers.Nodes.FirstOrDefault(f => f != _self, node.Predecessor ?? _self);
                if (other == _self)
                {
                    return;
                }

                node.Successors.Replace([other]);
                continue;
            }

            ChordNeighbours info;
            try
            {
                node.MaintenanceMessages++;
                P2PTelemetry.CountMessage(Protocol, P2PTelemetry.MaintenanceKind, "get_neighbours");
                info = await Peer(successor).GetNeighboursAsync();
            }
            catch (Exception e) when (Unreachable.Is(e))
            {
                if (!ForgetIfGone(node, successor, e))
                {
                    // Durable: the successor's silo is going down and the peer will come back with its
                    // state; keep the list as it is and try again next round.
                    return;
                }

                continue;
            }

            if (info.Predecessor is { } x && x != _self && node.Space.InOpenOpen(x, _self, successor))
            {
                try
                {
                    node.MaintenanceMessages++;
                    var closer = await Peer(x).GetNeighboursAsync();
                    successor = x;
                    info = closer;
                }
                catch (Exception e) when (Unreachable.Is(e))
                {
                    // x is dead: keep the successor we have.
                }
            }

            if (_node != node)
            {
                return;
            }

            var before = node.Successors.Nodes.ToList();
            var targetsBefore = node.Parameters.SpreadReplicas ? node.ReplicaTargets(_silo) : [];
            node.Successors.Rebuild(successor, info.Successors);
            node.Fingers.Set(0, successor);
            if (node.Parameters.SpreadReplicas)
            {
                node.LearnSilos(successor, info);
                if (!targetsBefore.SequenceEqual(node.ReplicaTargets(_silo)))
                {
                    node.ReplicatedVersion = -1;
                }
            }

            if (!before.SequenceEqual(node.Successors.Nodes))
            {
                node.ReplicatedVersion = -1;
            }

            try
            {
                node.MaintenanceMessages++;
                P2PTelemetry.CountMessage(Protocol, P2PTelemetry.MaintenanceKind, "notify");
                var reply = await Peer(successor).NotifyAsync(_self);
                foreach (var item in reply.Keys)
                {
                    node.Store.Put(item);
                }
            }
            catch (Exception e) when (Unreachable.Is(e))
            {
                if (!ForgetIfGone(node, successor, e))
                {
                    return;
                }

                continue;
            }

            return;
        }
    }

    /// <summary>
    /// fix_fingers (Chord figure 7): refresh the next finger with a lookup of its start. Fingers whose
    /// start falls in (n, successor], or in (start, answer] of the lookup just made, are set without
    /// another lookup, so one round refreshes a whole run of the table and m = 160 costs about
    /// log2 N lookups per pass rather than 160.
    /// </summary>
    private async Task FixFingersAsync(ChordNode node)
    {
        var space = node.Space;
        var successor = node.Successors.First;
        var i = node.NextFinger;
        var passes = 0;
        while (passes < space.Bits && space.InOpenClosed(node.Fingers.Start(i), _self, successor))
        {
            node.Fingers.Set(i, successor);
            i = (i + 1) % space.Bits;
            passes++;
        }

        if (passes >= space.Bits)
        {
            node.NextFinger = 0;
            return;
        }

        var start = node.Fingers.Start(i);
        var result = await IterativeLookupAsync(node, start, _self, verifyOwner: false, traced: false);
        if (_node != node)
        {
            return;
        }

        if (result.Success)
        {
            node.Fingers.Set(i, result.Owner);
            var j = (i + 1) % space.Bits;
            while (j != 0 && space.InOpenClosed(node.Fingers.Start(j), start, result.Owner))
            {
                node.Fingers.Set(j, result.Owner);
                j = (j + 1) % space.Bits;
            }

            node.NextFinger = j;
        }
        else
        {
            node.NextFinger = (i + 1) % space.Bits;
        }
    }

    /// <summary>
    /// Keys whose owner we are, i.e. in (predecessor, n], are copied to the replica targets (the next
    /// replicas - 1 successors, or spread over silos) whenever the keys or the successor list changed
    /// (ToN section 5.2, replication).
    /// Keys we hold that lie ahead of us are handed forward to the successor that owns them.
    /// </summary>
    private async Task ReplicateAsync(ChordNode node)
    {
        var version = node.Store.Version;
        var targets = node.Parameters.Replicas > 1 ? node.ReplicaTargets(_silo) : [];
        if (node.ReplicatedVersion == version && node.ReplicatedTargets.SequenceEqual(targets))
        {
            return;
        }

        var allOk = await HandOffKeysAheadAsync(node);
        if (node.Parameters.Replicas > 1)
        {
            if (node.Predecessor is not { } pred)
            {
                return; // our range is unknown until a predecessor notifies us; try again next round
            }

            var primary = node.Store.InRange(node.Space, pred, _self);
            foreach (var s in targets)
            {
                allOk &= primary.Count == 0 || await TryAsync(s, "replicate", p => p.StoreReplicasAsync(primary));
            }
        }

        if (_node == node && allOk)
        {
            node.ReplicatedVersion = version;
            node.ReplicatedTargets = targets;
        }
    }

    /// <summary>
    /// Under churn a key can end up only at nodes before it: a notify hands a new predecessor every
    /// key outside (candidate, n], and the holders after the key may crash before its owner had a
    /// copy. Pushing replication alone never moves such a key forward again (the soak lost 9 of 200
    /// keys with 10% of peers replaced per round). So each key in (n, s_i] is offered to s_i, its
    /// owner as far as we know, which then replicates it (DHash's global maintenance, in short).
    /// Copies are kept: an extra copy costs memory, a wrong deletion would lose the key.
    /// </summary>
    private async Task<bool> HandOffKeysAheadAsync(ChordNode node)
    {
        var allOk = true;
        var from = _self;
        foreach (var s in node.Successors.Nodes.ToList())
        {
            if (s == _self || _node != node)
            {
                break;
            }

            var ahead = node.Store.InRange(node.Space, from, s);
            if (ahead.Count > 0)
            {
                allOk &= await TryAsync(s, "handoff", p => p.StoreReplicasAsync(ahead));
            }

            from = s;
        }

        return allOk;
    }

    // --- lookups -----------------------------------------------------------------------

    /// <summary>
    /// Iterative find_successor driven by this peer (DESIGN.md section 4). Hops counts the peers
    /// asked for a next step, the initiator excluded; the owner answered by the last of them is not
    /// counted, as in the paper's path length (the number of nodes traversed to find the predecessor of the key).
    /// </summary>
    private async Task<LookupResult> IterativeLookupAsync(ChordNode node, NodeId key, NodeId start, bool verifyOwner, bool traced)
    {
        var dead = new HashSet<NodeId>();
        var path = new List<Hop> { new(_self, 0, "initiator") };
        var latency = 0.0;
        var messages = 0;
        var deadSkipped = 0;
        var maxSteps = (2 * node.Space.Bits) + 64;
        var current = start;
        var kind = traced ? P2PTelemetry.LookupKind : P2PTelemetry.MaintenanceKind;
        if (start != _self)
        {
            path.Add(new Hop(start, node.Network.Rtt(_self, start), "bootstrap"));
        }

        while (path.Count <= maxSteps)
        {
            ChordNextStep step;
            if (current == _self)
            {
                step = ChordRouter.NextStep(node.Space, _self, key, node.Successors, node.Fingers, dead.Count == 0 ? null : dead);
            }
            else
            {
                var rtt = node.Network.Rtt(_self, current);
                using var hop = traced ? P2PTelemetry.StartHop(Protocol, path.Count, node.Space.Format(current)) : null;
                try
                {
                    messages++;
                    CountLookupMessage(node, kind, "find_next");
                    latency += rtt;
                    step = await Peer(current).FindNextAsync(key, dead.ToList());
                }
                catch (Exception e) when (Unreachable.Is(e))
                {
                    hop?.SetTag("p2p.hop.dead", true);
                    hop?.SetStatus(ActivityStatusCode.Error);
                    deadSkipped++;
                    dead.Add(current);
                    ForgetIfGone(node, current, e);
                    path.RemoveAt(path.Count - 1);
                    if (path.Count == 1 && start != _self)
                    {
                        return Failed(key, path, latency, messages, deadSkipped, $"peer {node.Space.Format(start)} is unreachable");
                    }

                    current = path[^1].Node;
                    continue;
                }
            }

            if (step.IsOwner)
            {
                var owner = verifyOwner ? await FirstLiveAsync(node, step, dead, kind, () => messages++) : step.Node;
                if (owner is null)
                {
                    return Failed(key, path, latency, messages, deadSkipped, "every known successor of the key is unreachable");
                }

                return new LookupResult(key, owner.Value, path.Count - 1, path, latency, true, null, messages, deadSkipped);
            }

            if (path.Any(h => h.Node == step.Node))
            {
                return Failed(key, path, latency, messages, deadSkipped, "routing loop");
            }

            current = step.Node;
            path.Add(new Hop(current, node.Network.Rtt(_self, current), "closest preceding"));
        }

        return Failed(key, path, latency, messages, deadSkipped, "too many hops");
    }

    private async Task<LookupResult> RecursiveLookupAsync(ChordNode node, NodeId key)
    {
        var dead = new HashSet<NodeId>();
        var deadSkipped = 0;
        while (true)
        {
            var step = ChordRouter.NextStep(node.Space, _self, key, node.Successors, node.Fingers, dead.Count == 0 ? null : dead);
            if (step.IsOwner)
            {
                var owner = await FirstLiveAsync(node, step, dead, P2PTelemetry.LookupKind, () => { });
                return owner is { } o
                    ? new LookupResult(key, o, 0, [new Hop(_self, 0, "initiator")], 0, true, null, 0, deadSkipped)
                    : Failed(key, [new Hop(_self, 0, "initiator")], 0, 0, deadSkipped, "every known successor of the key is unreachable");
            }

            try
            {
                CountLookupMessage(node, P2PTelemetry.LookupKind, "route");
                var rest = await Peer(step.Node).RouteAsync(key, 1, _self);
                var hops = new List<Hop> { new(_self, 0, "initiator"), new(step.Node, node.Network.Rtt(_self, step.Node), "closest preceding") };
                hops.AddRange(rest.Take(rest.Count - 1));
                var owner = rest[^1].Node;
                return new LookupResult(key, owner, hops.Count - 1, hops, hops.Sum(h => h.RttMs), true, null, hops.Count - 1, deadSkipped);
            }
            catch (Exception e) when (Unreachable.Is(e))
            {
                deadSkipped++;
                dead.Add(step.Node);
                ForgetIfGone(node, step.Node, e);
            }
        }
    }

    /// <summary>The first successor of the key that answers a ping (the owner among live peers).</summary>
    private async Task<NodeId?> FirstLiveAsync(ChordNode node, ChordNextStep step, HashSet<NodeId> dead, string kind, Action countMessage)
    {
        foreach (var candidate in step.Successors.Prepend(step.Node).Distinct())
        {
            if (dead.Contains(candidate))
            {
                continue;
            }

            if (candidate == _self)
            {
                return candidate;
            }

            countMessage();
            CountLookupMessage(node, kind, "ping");
            if (await TryAsync(candidate, "ping", p => p.PingAsync(), count: false))
            {
                return candidate;
            }

            dead.Add(candidate);
        }

        return null;
    }

    private static LookupResult Failed(NodeId key, List<Hop> path, double latency, int messages, int deadSkipped, string error) =>
        new(key, NodeId.Zero, path.Count - 1, path, latency, false, error, messages, deadSkipped);

    private async Task JoinThroughAsync(ChordNode node, NodeId bootstrap)
    {
        // join(n'): successor := n'.find_successor(n) (Chord figure 6), driven iteratively from here.
        var found = await IterativeLookupAsync(node, _self, bootstrap, verifyOwner: true, traced: false);
        if (!found.Success)
        {
            throw new P2PException($"join failed: {found.Error}");
        }

        var successor = found.Owner;
        var neighbours = await Peer(successor).GetNeighboursAsync();
        node.Successors.Rebuild(successor, neighbours.Successors);
        node.Fingers.Set(0, successor);
        if (node.Parameters.SpreadReplicas)
        {
            node.LearnSilos(successor, neighbours);
        }

        // Notify the successor at once: it hands over the keys in (its old predecessor, n] and tells
        // us that predecessor, which we ask to stabilize so it adopts us. The paper leaves both to the
        // next stabilization rounds; doing them eagerly keeps sequential joins correct (docs/chord.md).
        var reply = await Peer(successor).NotifyAsync(_self);
        foreach (var item in reply.Keys)
        {
            node.Store.Put(item);
        }

        if (reply.PreviousPredecessor is { } previous && previous != _self)
        {
            node.Predecessor = previous;
            await TryAsync(previous, "stabilize", p => p.StabilizeAsync());
        }
        else
        {
            // The successor had no predecessor (it was alone, or lost it): its own stabilize notifies us.
            await TryAsync(successor, "stabilize", p => p.StabilizeAsync());
        }

        // init_finger_table: fill the distinct fingers now, O(log^2 N) messages (Chord section 4.4).
        for (var pass = 0; pass < node.Space.Bits && _node == node; pass++)
        {
            var before = node.NextFinger;
            await FixFingersAsync(node);
            if (node.NextFinger <= before)
            {
                break;
            }
        }
    }

    // --- plumbing ----------------------------------------------------------------------

    private IOverlayRegistryGrain Registry => GrainFactory.GetGrain<IOverlayRegistryGrain>(_overlay);

    private IChordPeerGrain Peer(NodeId id) => GrainFactory.GetGrain<IChordPeerGrain>(PeerKeys.For(_overlay, id));

    private void CountLookupMessage(ChordNode node, string kind, string type)
    {
        if (kind == P2PTelemetry.LookupKind)
        {
            node.LookupMessages++;
        }
        else
        {
            node.MaintenanceMessages++;
        }

        P2PTelemetry.CountMessage(Protocol, kind, type);
    }

    /// <summary>Calls a peer; false when it is unreachable (and then forgotten, unless only unavailable in a durable overlay).</summary>
    private async Task<bool> TryAsync(NodeId id, string type, Func<IChordPeerGrain, Task> call, bool count = true) =>
        await TryCallAsync(id, type, call, count) == CallOutcome.Ok;

    private async Task<CallOutcome> TryCallAsync(NodeId id, string type, Func<IChordPeerGrain, Task> call, bool count = true)
    {
        if (count && _node is { } node)
        {
            node.MaintenanceMessages++;
            P2PTelemetry.CountMessage(Protocol, P2PTelemetry.MaintenanceKind, type);
        }

        try
        {
            await call(Peer(id));
            return CallOutcome.Ok;
        }
        catch (Exception e) when (Unreachable.Is(e))
        {
            return _node is not { } n || ForgetIfGone(n, id, e) ? CallOutcome.Gone : CallOutcome.Unavailable;
        }
    }

    /// <summary>
    /// Volatile overlays forget a peer at the first failed call (DESIGN.md section 6). A durable peer
    /// is forgotten only when it answered that it is not a member (it failed or left): any other
    /// failure (silo unavailable, rejected, timed out) means its silo is going down, and the peer is
    /// reactivated elsewhere with its persisted state on the next call once membership declares the
    /// silo dead. Returns whether the peer was forgotten.
    /// </summary>
    private bool ForgetIfGone(ChordNode node, NodeId peer, Exception e)
    {
        if (node.Parameters.Durable && !Unreachable.IsNotMember(e))
        {
            return false;
        }

        Forget(node, peer);
        return true;
    }

    private void Forget(ChordNode node, NodeId dead)
    {
        if (dead == _self)
        {
            return;
        }

        if (node.Successors.Remove(dead))
        {
            node.ReplicatedVersion = -1;
        }

        node.Fingers.Remove(dead);
        if (node.Predecessor == dead)
        {
            node.Predecessor = null;
        }
    }

    private void StartClock(ChordNode node)
    {
        if (node.Parameters.Clock != ClockMode.Live)
        {
            return;
        }

        var period = TimeSpan.FromMilliseconds(node.Parameters.PeriodMs);
        _timer = this.RegisterGrainTimer(
            static (self, _) => self._node is null ? Task.CompletedTask : self.TickAsync(0),
            this,
            new GrainTimerCreationOptions(period, period) { Interleave = true, KeepAlive = true });
    }

    /// <summary>
    /// Durable peers write their state after each operation that changed what a restarted peer needs
    /// (membership, predecessor, successor list, keys and replicas): join, install, notify, leave
    /// hand-offs, put, replica store and the end of a maintenance round, one coalesced write per
    /// operation. Finger changes alone never cause a write: fix_fingers refreshes a finger each
    /// round, so writing for it would cost a storage write per peer per round, while fingers only
    /// speed lookups up (correctness rests on the successor pointers, Chord section 4.3 / ToN theorem 4)
    /// and fix_fingers rebuilds them after a restore. The fingers saved with the other writes are a
    /// free head start. Volatile peers return at once: no storage writes at all.
    /// </summary>
    private Task PersistAsync(ChordNode node) => _storage.PersistAsync(node);

    /// <summary>A durable peer that fails, leaves or is stopped deletes its record, so it does not come back.</summary>
    private Task ForgetStoredAsync(ChordNode node) => _storage.ForgetAsync(node);

    /// <summary>What a durable peer must have written: keys and replicas, predecessor, successor list.</summary>
    private static (long StoreVersion, NodeId? Predecessor, NodeId[] Successors) Marker(ChordNode node) =>
        (node.Store.Version, node.Predecessor, node.Successors.Nodes.ToArray());

    private static bool SameMarker((long StoreVersion, NodeId? Predecessor, NodeId[] Successors) a, (long StoreVersion, NodeId? Predecessor, NodeId[] Successors) b) =>
        a.StoreVersion == b.StoreVersion && a.Predecessor == b.Predecessor && a.Successors.SequenceEqual(b.Successors);

    private void Stop()
    {
        _node?.Store.Clear();
        _node = null;
        _timer?.Dispose();
        _timer = null;
        P2PTelemetry.ActivePeers.Add(-1);
        DeactivateOnIdle();
    }
}
