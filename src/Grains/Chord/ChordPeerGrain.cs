using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P2POrleans.Common;

namespace P2POrleans.Chord;

/// <summary>
/// A Chord peer. Routing decisions come from <see cref="ChordRouter"/>, state lives in
/// <see cref="FingerTable"/>, <see cref="SuccessorList"/> and the key store; calls to other peers go
/// through the shared call policy (<see cref="PeerCalls{TPeer}"/>). Reentrant because stabilize and
/// notify call back into their caller (docs/chord.md): every method re-reads state after each await.
/// </summary>
[Orleans.Concurrency.Reentrant]
[CollectionAgeLimit(AlwaysActive = true)]
[Orleans.Placement.RandomPlacement] // peers spread over the silos, so a silo crash takes a random subset of the ring
public sealed class ChordPeerGrain : PeerGrain<ChordNode, ChordPeerRecord, (long StoreVersion, NodeId? Predecessor, NodeId[] Successors), IChordPeerGrain>, IChordPeerGrain
{
    private const string Name = ChordParameters.Name;

    /// <summary>
    /// Hops a recursive query is given: each forwarder waits one per-call timeout per hop that may
    /// still follow, so the peer just before a hung one gives up first and routes around it.
    /// </summary>
    private const int RecursiveHopBudget = 32;

    public ChordPeerGrain(ILogger<ChordPeerGrain> logger, Orleans.Serialization.Serializer serializer, [PersistentState("chord", P2PStorage.Name)] IPersistentState<StoredBlob> stored, IOptions<PeerCallOptions> callOptions, TimeProvider time)
        : base(Name, logger, serializer, stored, callOptions, time, SameMarker)
    {
    }

    // --- membership -------------------------------------------------------------------

    public async Task<ChordPeerState> JoinAsync(ChordJoinRequest request)
    {
        if (Current is not null)
        {
            throw new P2PException($"peer {request.Parameters.Space.Format(Self)} is already a member of '{Overlay}'");
        }

        var node = new ChordNode(request.Parameters, Self, request.Address);
        Current = node;
        try
        {
            if (request.Bootstrap is { } bootstrap && bootstrap != Self)
            {
                await JoinThroughAsync(node, bootstrap);
            }
        }
        catch
        {
            Current = null;
            throw;
        }

        await Registry.AddMemberAsync(Self);
        StartMembership(node);
        await PersistAsync(node);
        return node.Snapshot(Silo);
    }

    public async Task InstallAsync(ChordParameters parameters, string address, NodeId? predecessor, IReadOnlyList<NodeId> successors, IReadOnlyList<FingerRun> fingers)
    {
        var node = Current ?? new ChordNode(parameters, Self, address);
        node.Predecessor = predecessor;
        node.Successors.Replace(successors);
        node.Fingers.Replace(fingers);
        if (Current is null)
        {
            Current = node;
            StartMembership(node);
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
        if (successor != Self)
        {
            await Calls.TryAsync(successor, "leave", p => p.PredecessorLeavingAsync(Self, predecessor, items));
        }

        if (predecessor is { } pred && pred != Self)
        {
            await Calls.TryAsync(pred, "leave", p => p.SuccessorLeavingAsync(Self, successorsForPredecessor));
        }

        await Registry.RemoveMemberAsync(Self);
        Logger.LogDebug("Chord peer {Peer} left {Overlay}", Self, Overlay);
    }

    // --- messages ----------------------------------------------------------------------

    public Task<ChordNextStep> FindNextAsync(NodeId key, IReadOnlyList<NodeId> exclude)
    {
        var node = Node;
        return Task.FromResult(ChordRouter.NextStep(node.Space, Self, key, node.Successors, node.Fingers, exclude.Count == 0 ? null : exclude.ToHashSet()));
    }

    public async Task<IReadOnlyList<Hop>> RouteAsync(NodeId key, int hopIndex, NodeId initiator)
    {
        var node = Node;
        using var hop = P2PTelemetry.StartHop(Name, hopIndex, node.Space.Format(Self));
        var dead = new HashSet<NodeId>();
        while (true)
        {
            var step = ChordRouter.NextStep(node.Space, Self, key, node.Successors, node.Fingers, dead.Count == 0 ? null : dead);
            if (step.IsOwner)
            {
                return [new Hop(step.Node, 0, "owner")];
            }

            var rest = await Calls.CallAsync(step.Node, "route", p => p.RouteAsync(key, hopIndex + 1, initiator), P2PTelemetry.LookupKind, RecursiveNested(hopIndex));
            if (rest.Ok)
            {
                return [new Hop(step.Node, node.Network.Rtt(Self, step.Node), "closest preceding"), .. rest.Value!];
            }

            dead.Add(step.Node);
        }
    }

    public Task<ChordNeighbours> GetNeighboursAsync()
    {
        var node = Node;
        var silos = node.Parameters.SpreadReplicas ? node.SiloList() : null;
        return Task.FromResult(new ChordNeighbours(node.Predecessor, node.Successors.Nodes.ToList(), Silo, silos));
    }

    public async Task<ChordNotifyResult> NotifyAsync(NodeId candidate)
    {
        var node = Node;

        // notify(n'): if predecessor is nil or n' in (predecessor, n), predecessor := n' (Chord figure 7).
        if (candidate == Self || (node.Predecessor is { } p && p != candidate && !node.Space.InOpenOpen(candidate, p, Self)))
        {
            return new ChordNotifyResult(false, [], node.Predecessor);
        }

        var previous = node.Predecessor;
        node.Predecessor = candidate;
        if (node.Successors.First == Self)
        {
            // A ring of one that gains a second node: it is both our predecessor and our successor.
            node.Successors.Replace([candidate]);
            node.Fingers.Set(0, candidate);
        }

        // Keys in (previous, candidate] now belong to the candidate; we keep them as its first replica.
        var moving = previous is { } prev
            ? node.Store.InRange(node.Space, prev, candidate)
            : node.Store.InRange(node.Space, Self, candidate);
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
        var list = successors.Where(s => s != leaving && s != Self).ToList();
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
            node.Predecessor = predecessor == Self ? null : predecessor;
        }

        node.Forget(leaving);
        await PersistAsync(node);
    }

    public async Task<IReadOnlyList<NodeId>> StoreAsync(StoredItem item, bool asOwner)
    {
        var node = Node;
        node.Store.Put(item);
        if (!asOwner)
        {
            await PersistAsync(node);
            return [Self];
        }

        // The owner writes the copies at its replica targets before answering (the next replicas - 1
        // successors, or spread over silos); a durable owner's own write runs meanwhile.
        var persisted = PersistAsync(node);
        var stored = new List<NodeId> { Self };
        foreach (var s in node.ReplicaTargets(Silo))
        {
            if (await Calls.TryAsync(s, "replicate", p => p.StoreReplicasAsync([item])))
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

        using var activity = P2PTelemetry.StartLookup(Name, Overlay, keyText ?? node.Space.Format(key), node.Space.Format(Self));
        var result = node.Parameters.Mode == ChordMode.Recursive
            ? await RecursiveLookupAsync(node, key)
            : await IterativeLookupAsync(node, key, Self, verifyOwner: true, traced: true);
        P2PTelemetry.CompleteLookup(activity, Name, result.Hops, result.LatencyMs, node.Space.Format(result.Owner), result.Success);
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
        if (lookup.Owner == Self)
        {
            return new ChordPutResult(await StoreAsync(item, asOwner: true), lookup);
        }

        // The owner stores, then writes each replica before it answers: one more timeout per replica.
        var stored = await Calls.CallAsync(lookup.Owner, null, p => p.StoreAsync(item, asOwner: true), nested: node.Parameters.Replicas - 1);
        return stored.Ok
            ? new ChordPutResult(stored.Value!, lookup)
            : throw new P2PException($"the owner {node.Space.Format(lookup.Owner)} of '{key}' was found but then did not take the key: {Unreachable.Describe(stored.Fault, Calls.Timeout)}");
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
        if (lookup.Owner == Self)
        {
            candidates.AddRange(node.ReplicaTargets(Silo));
        }
        else if ((await Calls.CallAsync(lookup.Owner, null, p => p.GetNeighboursAsync())).Value is { } neighbours)
        {
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

        foreach (var candidate in candidates.Distinct())
        {
            var read = candidate == Self ? new PeerCallResult<string?>(PeerFault.None, false, node.Store.Get(key)) : await Calls.CallAsync(candidate, null, p => p.ReadLocalAsync(key));
            if (read.Value is not null)
            {
                return new ChordGetResult(read.Value, candidate, lookup);
            }

            // A holder whose silo did not answer may come back with the key (a durable peer): unavailable, not missing.
            unreachable += read.Fault is PeerFault.SiloUnreachable or PeerFault.TimedOut ? 1 : 0;
        }

        return new ChordGetResult(null, null, lookup) { HoldersUnreachable = unreachable };
    }

    public Task<ChordPeerState> GetStateAsync() => Task.FromResult(Node.Snapshot(Silo));

    public Task<IReadOnlyList<NodeId>> GetKeyIdsAsync() => Task.FromResult(Node.Store.KeyIds());

    // --- periodic work -----------------------------------------------------------------

    public override async Task TickAsync(long round)
    {
        var node = Node;
        await CheckPredecessorAsync(node);
        await StabilizeAsync(node);
        await FixFingersAsync(node);
        await ReplicateAsync(node);
        await PersistAsync(node);
        P2PTelemetry.StateEntries.Record(node.Fingers.Runs.Count + node.Successors.Nodes.Count + 1,
            new KeyValuePair<string, object?>("p2p.protocol", Name));
    }

    /// <summary>check_predecessor (Chord figure 7): forget a predecessor that does not answer.</summary>
    private async Task CheckPredecessorAsync(ChordNode node)
    {
        // A durable predecessor whose silo merely did not answer is kept: it comes back with its state.
        if (node.Predecessor is { } pred && pred != Self && (await Calls.CallAsync(pred, "check_predecessor", p => p.PingAsync())).Forgotten)
        {
            if (Current == node && node.Predecessor == pred)
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
        while (Current == node)
        {
            var successor = node.Successors.First;
            if (successor == Self)
            {
                // Alone, or every successor died: a live finger or the predecessor closes the ring again.
                var other = node.Fingers.Nodes.FirstOrDefault(f => f != Self, node.Predecessor ?? Self);
                if (other == Self)
                {
                    return;
                }

                node.Successors.Replace([other]);
                continue;
            }

            var asked = await Calls.CallAsync(successor, "get_neighbours", p => p.GetNeighboursAsync());
            if (!asked.Ok)
            {
                if (!asked.Forgotten)
                {
                    // Durable: the successor's silo is going down and the peer will come back with its
                    // state; keep the list as it is and try again next round.
                    return;
                }

                continue;
            }

            var info = asked.Value!;
            if (info.Predecessor is { } x && x != Self && node.Space.InOpenOpen(x, Self, successor))
            {
                // x is dead when it does not answer: keep the successor we have.
                var closer = await Calls.CallAsync(x, "get_neighbours", p => p.GetNeighboursAsync());
                if (closer.Ok)
                {
                    successor = x;
                    info = closer.Value!;
                }
            }

            if (Current != node)
            {
                return;
            }

            var before = node.Successors.Nodes.ToList();
            var targetsBefore = node.Parameters.SpreadReplicas ? node.ReplicaTargets(Silo) : [];
            node.Successors.Rebuild(successor, info.Successors);
            node.Fingers.Set(0, successor);
            if (node.Parameters.SpreadReplicas)
            {
                node.LearnSilos(successor, info);
                if (!targetsBefore.SequenceEqual(node.ReplicaTargets(Silo)))
                {
                    node.ReplicatedVersion = -1;
                }
            }

            if (!before.SequenceEqual(node.Successors.Nodes))
            {
                node.ReplicatedVersion = -1;
            }

            var notified = await Calls.CallAsync(successor, "notify", p => p.NotifyAsync(Self));
            if (notified.Ok)
            {
                foreach (var item in notified.Value!.Keys)
                {
                    node.Store.Put(item);
                }

                return;
            }

            if (!notified.Forgotten)
            {
                return;
            }
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
        while (passes < space.Bits && space.InOpenClosed(node.Fingers.Start(i), Self, successor))
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
        var result = await IterativeLookupAsync(node, start, Self, verifyOwner: false, traced: false);
        if (Current != node)
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
        var targets = node.Parameters.Replicas > 1 ? node.ReplicaTargets(Silo) : [];
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

            var primary = node.Store.InRange(node.Space, pred, Self);
            foreach (var s in targets)
            {
                allOk &= primary.Count == 0 || await Calls.TryAsync(s, "replicate", p => p.StoreReplicasAsync(primary));
            }
        }

        if (Current == node && allOk)
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
        var from = Self;
        foreach (var s in node.Successors.Nodes.ToList())
        {
            if (s == Self || Current != node)
            {
                break;
            }

            var ahead = node.Store.InRange(node.Space, from, s);
            if (ahead.Count > 0)
            {
                allOk &= await Calls.TryAsync(s, "handoff", p => p.StoreReplicasAsync(ahead));
            }

            from = s;
        }

        return allOk;
    }

    // --- lookups -----------------------------------------------------------------------

    /// <summary>
    /// Iterative find_successor driven by this peer (docs/chord.md). Hops counts the peers asked for
    /// a next step, the initiator excluded; the owner answered by the last of them is not counted, as
    /// in the paper's path length (the number of nodes traversed to find the predecessor of the key).
    /// </summary>
    private async Task<LookupResult> IterativeLookupAsync(ChordNode node, NodeId key, NodeId start, bool verifyOwner, bool traced)
    {
        var walk = new LookupWalk(Name, key, Self, traced, traced ? P2PTelemetry.LookupKind : P2PTelemetry.MaintenanceKind);
        var path = walk.Path;
        var maxSteps = (2 * node.Space.Bits) + 64;
        var current = start;
        if (start != Self)
        {
            path.Add(new Hop(start, node.Network.Rtt(Self, start), "bootstrap"));
        }

        while (path.Count <= maxSteps)
        {
            ChordNextStep step;
            if (current == Self)
            {
                step = ChordRouter.NextStep(node.Space, Self, key, node.Successors, node.Fingers, walk.Dead.Count == 0 ? null : walk.Dead);
            }
            else
            {
                var dead = walk.Dead.ToList();
                var asked = current;
                var answer = await walk.AskAsync(current, node.Space.Format(current), path.Count - 1, node.Network.Rtt(Self, current),
                    () => Calls.CallAsync(asked, "find_next", p => p.FindNextAsync(key, dead), walk.Kind));
                if (!answer.Ok)
                {
                    path.RemoveAt(path.Count - 1);
                    if (path.Count == 1 && start != Self)
                    {
                        return walk.Fail($"peer {node.Space.Format(start)} is unreachable");
                    }

                    current = path[^1].Node;
                    continue;
                }

                step = answer.Value!;
            }

            if (step.IsOwner)
            {
                var owner = verifyOwner ? await FirstLiveAsync(step, walk) : step.Node;
                return owner is { } o ? walk.Succeed(o) : walk.Fail("every known successor of the key is unreachable");
            }

            if (path.Any(h => h.Node == step.Node))
            {
                return walk.Fail("routing loop");
            }

            current = step.Node;
            path.Add(new Hop(current, node.Network.Rtt(Self, current), "closest preceding"));
        }

        return walk.Fail("too many hops");
    }

    private async Task<LookupResult> RecursiveLookupAsync(ChordNode node, NodeId key)
    {
        // Only the initiator's own step is walked here: the rest of the route comes back as hops.
        var walk = new LookupWalk(Name, key, Self);
        while (true)
        {
            var step = ChordRouter.NextStep(node.Space, Self, key, node.Successors, node.Fingers, walk.Dead.Count == 0 ? null : walk.Dead);
            if (step.IsOwner)
            {
                var messages = walk.Messages;
                var owner = await FirstLiveAsync(step, walk);
                walk.Messages = messages; // the pings that verify a local owner are not hops of the route
                return owner is { } o ? walk.Succeed(o) : walk.Fail("every known successor of the key is unreachable");
            }

            var rest = await Calls.CallAsync(step.Node, "route", p => p.RouteAsync(key, 1, Self), P2PTelemetry.LookupKind, RecursiveNested(0));
            if (rest.Ok)
            {
                var hops = new List<Hop> { new(Self, 0, "initiator"), new(step.Node, node.Network.Rtt(Self, step.Node), "closest preceding") };
                hops.AddRange(rest.Value!.Take(rest.Value!.Count - 1));
                var owner = rest.Value![^1].Node;
                return new LookupResult(key, owner, hops.Count - 1, hops, hops.Sum(h => h.RttMs), true, null, hops.Count - 1, walk.DeadSkipped);
            }

            walk.MarkDead(null, step.Node);
        }
    }

    /// <summary>Nested timeouts a recursive forward at this hop may need (one per hop that may still follow).</summary>
    private static int RecursiveNested(int hopIndex) => Math.Max(1, RecursiveHopBudget - hopIndex);

    /// <summary>The first successor of the key that answers a ping (the owner among live peers).</summary>
    private async Task<NodeId?> FirstLiveAsync(ChordNextStep step, LookupWalk walk)
    {
        foreach (var candidate in step.Successors.Prepend(step.Node).Distinct())
        {
            if (walk.Dead.Contains(candidate))
            {
                continue;
            }

            if (candidate == Self)
            {
                return candidate;
            }

            walk.Messages++;
            if (await Calls.TryAsync(candidate, "ping", p => p.PingAsync(), walk.Kind))
            {
                return candidate;
            }

            walk.Dead.Add(candidate);
        }

        return null;
    }

    private async Task JoinThroughAsync(ChordNode node, NodeId bootstrap)
    {
        // join(n'): successor := n'.find_successor(n) (Chord figure 6), driven iteratively from here.
        var found = await IterativeLookupAsync(node, Self, bootstrap, verifyOwner: true, traced: false);
        if (!found.Success)
        {
            throw new P2PException($"join failed: {found.Error}");
        }

        var successor = found.Owner;
        var neighbours = await Calls.CallAsync(successor, null, p => p.GetNeighboursAsync());
        if (!neighbours.Ok)
        {
            throw new P2PException($"join failed: the successor {node.Space.Format(successor)} gave no neighbours ({Unreachable.Describe(neighbours.Fault, Calls.Timeout)})");
        }

        node.Successors.Rebuild(successor, neighbours.Value!.Successors);
        node.Fingers.Set(0, successor);
        if (node.Parameters.SpreadReplicas)
        {
            node.LearnSilos(successor, neighbours.Value);
        }

        // Notify the successor at once: it hands over the keys in (its old predecessor, n] and tells
        // us that predecessor, which we ask to stabilize so it adopts us. The paper leaves both to the
        // next stabilization rounds; doing them eagerly keeps sequential joins correct (docs/chord.md).
        var notified = await Calls.CallAsync(successor, null, p => p.NotifyAsync(Self));
        if (!notified.Ok)
        {
            throw new P2PException($"join failed: the successor {node.Space.Format(successor)} did not take the notify ({Unreachable.Describe(notified.Fault, Calls.Timeout)})");
        }

        var reply = notified.Value!;
        foreach (var item in reply.Keys)
        {
            node.Store.Put(item);
        }

        // The stabilize asked of another peer makes up to three calls of its own (its successor's
        // neighbours, a closer one's, the notify).
        if (reply.PreviousPredecessor is { } previous && previous != Self)
        {
            node.Predecessor = previous;
            await Calls.TryAsync(previous, "stabilize", p => p.StabilizeAsync(), nested: 3);
        }
        else
        {
            // The successor had no predecessor (it was alone, or lost it): its own stabilize notifies us.
            await Calls.TryAsync(successor, "stabilize", p => p.StabilizeAsync(), nested: 3);
        }

        // init_finger_table: fill the distinct fingers now, O(log^2 N) messages (Chord section 4.4).
        for (var pass = 0; pass < node.Space.Bits && Current == node; pass++)
        {
            var before = node.NextFinger;
            await FixFingersAsync(node);
            if (node.NextFinger <= before)
            {
                break;
            }
        }
    }

    // --- durable record ----------------------------------------------------------------

    protected override ChordNode? Restore(ChordPeerRecord record) =>
        record is { Member: true, Parameters.Durable: true } ? ChordNode.FromRecord(Self, record) : null;

    protected override ChordPeerRecord ToRecord(ChordNode node) => node.ToRecord();

    /// <summary>
    /// What a durable peer must have written: keys and replicas, predecessor, successor list. Durable
    /// peers write after each operation that changed one of them (join, install, notify, leave
    /// hand-offs, put, replica store, the end of a round). Finger changes alone never cause a write:
    /// fix_fingers refreshes a finger each round, so writing for it would cost a storage write per
    /// peer per round, while fingers only speed lookups up (correctness rests on the successor
    /// pointers, Chord section 4.3 / ToN theorem 4) and fix_fingers rebuilds them after a restore.
    /// </summary>
    protected override (long StoreVersion, NodeId? Predecessor, NodeId[] Successors) Marker(ChordNode node) =>
        (node.Store.Version, node.Predecessor, node.Successors.Nodes.ToArray());

    private static bool SameMarker((long StoreVersion, NodeId? Predecessor, NodeId[] Successors) a, (long StoreVersion, NodeId? Predecessor, NodeId[] Successors) b) =>
        a.StoreVersion == b.StoreVersion && a.Predecessor == b.Predecessor && a.Successors.SequenceEqual(b.Successors);

    protected override string RestoredSummary(ChordNode node) => $"{node.Store.Count} keys";

    protected override void OnStopping(ChordNode node) => node.Store.Clear();
}
