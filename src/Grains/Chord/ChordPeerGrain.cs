using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P2POrleans.Common;

namespace P2POrleans.Chord;

/// <summary>
/// A Chord peer grain: it holds a <see cref="ChordNode"/> while it is a member and delegates every
/// message to it and to Chord's rules (<see cref="ChordJoin"/>, <see cref="ChordMaintenance"/>,
/// <see cref="ChordReplication"/>, <see cref="ChordLookup"/>, <see cref="ChordKeys"/>); what it adds
/// is Orleans: the key, the registry, the durable record (written after each operation that moved
/// it), the live clock. Reentrant because stabilize and notify call back into their caller
/// (docs/chord.md): every rule re-reads the node's state after each await.
/// </summary>
[Orleans.Concurrency.Reentrant]
[CollectionAgeLimit(AlwaysActive = true)]
[Orleans.Placement.RandomPlacement] // peers spread over the silos, so a silo crash takes a random subset of the ring
public sealed class ChordPeerGrain : PeerGrain<ChordNode, ChordPeerRecord, (long StoreVersion, NodeId? Predecessor, NodeId[] Successors), IChordPeerGrain>, IChordPeerGrain
{
    private readonly PeerCallOptions _callOptions;
    private readonly TimeProvider _time;
    private ChordHost? _host;

    public ChordPeerGrain(ILogger<ChordPeerGrain> logger, Orleans.Serialization.Serializer serializer, IOptions<PeerCallOptions> callOptions, TimeProvider time)
        : base(ChordParameters.Name, logger, serializer, callOptions, time, SameMarker)
    {
        _callOptions = callOptions.Value;
        _time = time;
    }

    /// <summary>How this peer's node reaches the others: through their grains, under the shared call policy.</summary>
    private ChordHost Host => _host ??= SharedHost();

    // One host for the peers of an overlay on a silo, not a record and a closure per peer (112 bytes
    // a peer at 10^6; docs/bench.md, memory): the host of the last peer made, if it fits this one.
    private static Tuple<IGrainFactory, string, ChordHost>? _lastHost;

    private ChordHost SharedHost()
    {
        var last = _lastHost;
        if (last is not null && ReferenceEquals(last.Item1, GrainFactory) && ReferenceEquals(last.Item2, Overlay)
            && last.Item3.Silo == Silo && ReferenceEquals(last.Item3.CallOptions, _callOptions) && ReferenceEquals(last.Item3.Time, _time))
        {
            return last.Item3;
        }

        var (factory, overlay) = (GrainFactory, Overlay);
        var host = new ChordHost(id => GrainReferences.Peer<IChordPeerGrain>(factory, overlay, id), _callOptions, _time, Silo)
        {
            // The silo's replica of the overlay's member list (docs/cluster.md): the members that follow the peer.
            Members = self => factory.GetGrain<IOverlayCatalogGrain>(0).GetMembersAfterAsync(overlay, self, 5),
        };
        _lastHost = Tuple.Create(factory, overlay, host);
        return host;
    }

    // --- membership -------------------------------------------------------------------

    public async Task<ChordPeerState> JoinAsync(ChordJoinRequest request)
    {
        if (Current is not null)
        {
            throw new P2PException($"peer {request.Parameters.Space.Format(Self)} is already a member of '{Overlay}'");
        }

        var node = new ChordNode(request.Parameters, Self, request.Address, Host);
        Current = node;
        try
        {
            if (request.Bootstrap is { } bootstrap && bootstrap != Self)
            {
                await ChordJoin.JoinAsync(node, bootstrap);
            }
        }
        catch
        {
            Current = null;
            node.Stop();
            throw;
        }

        await Registry.AddMemberAsync(Self);
        StartMembership(node);
        await PersistAsync(node);
        return node.Snapshot();
    }

    public async Task InstallAsync(ChordParameters parameters, string address, NodeId? predecessor, IReadOnlyList<NodeId> successors, IReadOnlyList<FingerRun> fingers)
    {
        var node = Current ?? new ChordNode(parameters, Self, address, Host);
        node.Install(predecessor, successors, fingers);
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
        var farewell = ChordJoin.Farewell(node);
        Stop();
        await ForgetStoredAsync(node);
        await farewell.SendAsync(node.Calls);
        await Registry.RemoveMemberAsync(Self);
        Logger.LogDebug("Chord peer {Peer} left {Overlay}", Self, Overlay);
    }

    // --- the protocol's messages (IChordPeer) -------------------------------------------

    public Task<ChordNextStep> FindNextAsync(NodeId key, IReadOnlyList<NodeId> exclude) => Task.FromResult(Node.FindNext(key, exclude));

    public Task<ChordRoute> RouteAsync(NodeId key, int hopIndex, NodeId initiator) => ChordLookup.RouteAsync(Node, key, hopIndex, initiator);

    public Task<ChordNeighbours> GetNeighboursAsync() => Task.FromResult(Node.Neighbours());

    public async Task<ChordNotifyResult> NotifyAsync(NodeId candidate)
    {
        var node = Node;
        var result = node.Notify(candidate);
        if (result.Accepted)
        {
            await PersistAsync(node);
        }

        return result;
    }

    public Task PingAsync()
    {
        _ = Node;
        return Task.CompletedTask;
    }

    public async Task StabilizeAsync()
    {
        var node = Node;
        await ChordMaintenance.StabilizeAsync(node);
        await PersistAsync(node);
    }

    public Task SuccessorLeavingAsync(NodeId leaving, IReadOnlyList<NodeId> successors)
    {
        var node = Node;
        node.SuccessorLeaving(leaving, successors);
        return PersistAsync(node);
    }

    public Task PredecessorLeavingAsync(NodeId leaving, NodeId? predecessor, IReadOnlyList<StoredItem> keys)
    {
        var node = Node;
        node.PredecessorLeaving(leaving, predecessor, keys);
        return PersistAsync(node);
    }

    public async Task<IReadOnlyList<NodeId>> StoreAsync(StoredItem item, bool asOwner)
    {
        var node = Node;
        if (!asOwner)
        {
            node.Take([item]);
            await PersistAsync(node);
            return [Self];
        }

        // The owner stamps the write's version, then writes the copies at its replica targets before
        // answering; a durable owner's own write runs meanwhile.
        var stamped = node.StoreAsOwner(item);
        var persisted = PersistAsync(node);
        var stored = await ChordReplication.CopyAsync(node, stamped);
        await persisted;
        return stored;
    }

    public Task StoreReplicasAsync(IReadOnlyList<StoredItem> items)
    {
        var node = Node;
        node.Take(items);
        return PersistAsync(node);
    }

    public Task<string?> ReadLocalAsync(string key) => Task.FromResult(Node.Store.Get(key));

    // --- client operations -------------------------------------------------------------

    public Task<LookupResult> LookupAsync(NodeId key, string? keyText) => ChordLookup.LookupAsync(Node, Overlay, key, keyText);

    public Task<PutResult> PutAsync(string key, string value) => ChordKeys.PutAsync(Node, this, Overlay, key, value);

    public Task<GetResult> GetAsync(string key) => ChordKeys.GetAsync(Node, Overlay, key);

    public Task<ChordPeerState> GetStateAsync() => Task.FromResult(Node.Snapshot());

    public Task<IReadOnlyList<NodeId>> GetKeyIdsAsync() => Task.FromResult(Node.Store.KeyIds());

    public Task<IReadOnlyList<StoredItem>> GetItemsAsync() => Task.FromResult<IReadOnlyList<StoredItem>>([.. Node.Store.Items]);

    // --- periodic work -----------------------------------------------------------------

    public override async Task TickAsync(long round)
    {
        var node = Node;
        await ChordMaintenance.RoundAsync(node);
        await PersistAsync(node);
    }

    // --- durable record ----------------------------------------------------------------

    protected override ChordNode? Restore(ChordPeerRecord record) =>
        record is { Member: true, Parameters.Durable: true } ? record.ToNode(Self, Host) : null;

    protected override ChordPeerRecord ToRecord(ChordNode node) => ChordPeerRecord.Of(node);

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

    protected override void OnStopping(ChordNode node) => node.Stop();
}
