using Microsoft.Extensions.Logging;

namespace P2POrleans.Common;

/// <summary>
/// Configuration and ground-truth membership of one overlay (docs/architecture.md). Reentrant: every
/// mutation is synchronous, so interleaving at the awaits of <see cref="StepAsync"/> is safe; the
/// step works on a snapshot of the members. It is the only writer of its overlay, but not on any
/// request's path: after each change it sends the change to the replica on every silo
/// (<see cref="OverlayReplicas"/>), from which the catalog serves reads, and a registry activated after
/// its silo crashed restores a volatile overlay from the newest replica. A durable overlay's registry
/// also writes its state to grain storage after each change (one write per call, coalesced) and
/// restores it from there (docs/durability.md); a volatile overlay's registry never writes to storage.
/// </summary>
[Orleans.Concurrency.Reentrant]
[CollectionAgeLimit(AlwaysActive = true)]
// Random, like the peers, not the default resource-optimised placement, which prefers the calling
// silo while load statistics are young and so gathers the registries of a fresh cluster on one silo
// (the silo-kill tests need one off the primary; once none of 100 was, CI of 2026-11-25).
[Orleans.Placement.RandomPlacement]
public sealed class OverlayRegistryGrain : Grain, IOverlayRegistryGrain
{
    private readonly ILogger<OverlayRegistryGrain> _logger;
    private readonly PersistedRecord<OverlayRegistryRecord> _stored;
    private readonly CoalescingWriter _writer;
    private readonly OverlayReplicas _replicas;
    private readonly CoalescingWriter _publisher;
    private readonly HashSet<NodeId> _pendingAdded = [];
    private readonly HashSet<NodeId> _pendingRemoved = [];
    private bool _fullPending;
    private OverlayVersion _version;
    private OverlayParameters? _parameters;
    private readonly MemberSet _members = new();
    private DateTimeOffset _createdAt;
    private long _round;
    private int _nextHost;
    private Random _random = new(0);

    public OverlayRegistryGrain(ILogger<OverlayRegistryGrain> logger, Orleans.Serialization.Serializer serializer, OverlayReplicas replicas, [PersistentState("registry", P2PStorage.Name)] IPersistentState<StoredBlob> stored)
    {
        _logger = logger;
        _stored = new PersistedRecord<OverlayRegistryRecord>(stored, serializer);
        _writer = new CoalescingWriter(SyncStorageAsync);
        _replicas = replicas;
        _publisher = new CoalescingWriter(PublishPendingAsync);
    }

    private string Name => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var newest = await _replicas.NewestAsync(Name);
        if (_stored.Read() is { Parameters: { IsDurable: true } parameters } record)
        {
            Restore(parameters, record.Members, record.CreatedAt, record.Round, record.NextHost);
            _logger.LogInformation("Restored durable overlay {Overlay} ({Protocol}) with {Count} members", Name, parameters.Protocol, _members.Count);
        }
        else if (newest is { Parameters: { } replicated })
        {
            // A volatile overlay whose registry's silo went away: the replicas kept it.
            Restore(replicated, newest.Added, newest.CreatedAt, newest.Round, newest.NextHost);
            _logger.LogInformation("Restored volatile overlay {Overlay} ({Protocol}) with {Count} members from the replica of version {Version}", Name, replicated.Protocol, _members.Count, newest.Version);
        }

        // A new epoch, after every version any replica has seen, so the replicas take this activation's changes.
        _version = new OverlayVersion(Math.Max(DateTime.UtcNow.Ticks, (newest?.Version.Epoch ?? 0) + 1), 0);
        if (_parameters is not null)
        {
            _fullPending = true;
            await _publisher.WriteAsync();
        }
    }

    /// <summary>The overlay as it was (from storage or the newest replica), with a random stream of its own for this activation.</summary>
    private void Restore(OverlayParameters parameters, IEnumerable<NodeId> members, DateTimeOffset createdAt, long round, int nextHost)
    {
        _parameters = parameters;
        foreach (var id in members)
        {
            _members.Add(id);
        }

        _createdAt = createdAt;
        _round = round;
        _nextHost = nextHost;
        _random = SeededRandom.Create(parameters.Seed, "registry/restored/" + _round.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public async Task<OverlayInfo> CreateAsync(OverlayParameters parameters)
    {
        if (OverlayNames.Problem(Name) is { } nameProblem)
        {
            throw new P2PException(nameProblem);
        }

        if (_parameters is not null)
        {
            throw new P2PException($"overlay '{Name}' already exists ({_parameters.Protocol}); delete it first or pick another name");
        }

        if (!OverlayProtocols.IsKnown(parameters.Protocol))
        {
            throw new P2PException($"unknown protocol '{parameters.Protocol}' (known: {string.Join(", ", OverlayProtocols.Protocols)})");
        }

        var problems = parameters.Validate().ToList();
        if (problems.Count > 0)
        {
            throw new P2PException($"invalid parameters for overlay '{Name}': {string.Join("; ", problems)}");
        }

        _parameters = parameters;
        _createdAt = DateTimeOffset.UtcNow;
        _random = SeededRandom.Create(parameters.Seed, "registry");
        _fullPending = true;
        try
        {
            await ChangedAsync();
            if (parameters.IsDurable)
            {
                // Durable names are listed in storage too, so `list` finds them after a whole-cluster restart.
                await GrainFactory.GetGrain<IOverlayDirectoryGrain>(0).AddAsync(Name, parameters.Protocol, parameters.IsDurable);
            }
        }
        catch
        {
            // Not created: a retry of the same create must not find a half-made overlay.
            _parameters = null;
            _fullPending = true;
            try
            {
                await Task.WhenAll(_writer.WriteAsync(), _publisher.WriteAsync());
            }
            catch (Exception e) when (Unreachable.Is(e) || e is Orleans.Storage.InconsistentStateException or TimeoutException)
            {
                _logger.LogWarning("Overlay {Overlay} not created, and its storage not cleared: {Error}", Name, e.Message);
            }

            throw;
        }

        _logger.LogInformation("Created overlay {Overlay} ({Protocol})", Name, parameters.Protocol);
        return Info();
    }

    public Task<OverlayInfo?> GetAsync() => Task.FromResult(_parameters is null ? null : Info());

    public async Task DeleteAsync()
    {
        var parameters = Require();
        var members = _members.Sorted();
        _parameters = null;
        _members.Clear();
        _round = 0;
        _nextHost = 0;
        _fullPending = true;
        await Task.WhenAll(parameters.IsDurable ? _writer.WriteAsync() : Task.CompletedTask, _publisher.WriteAsync());

        foreach (var id in members)
        {
            await OverlayProtocols.Peer(GrainFactory, parameters, Name, id).StopAsync();
        }

        if (parameters.IsDurable)
        {
            await GrainFactory.GetGrain<IOverlayDirectoryGrain>(0).RemoveAsync(Name);
        }

        _logger.LogInformation("Deleted overlay {Overlay} and stopped {Count} peers", Name, members.Count);
    }

    public Task AddMemberAsync(NodeId id)
    {
        Require();
        return Add(id) ? ChangedAsync() : Task.CompletedTask;
    }

    public Task AddMembersAsync(IReadOnlyList<NodeId> ids)
    {
        Require();
        foreach (var id in ids)
        {
            Add(id);
        }

        return ChangedAsync();
    }

    public Task RemoveMemberAsync(NodeId id) => Remove(id) ? ChangedAsync() : Task.CompletedTask;

    public Task<IReadOnlyList<NodeId>> GetMembersAsync()
    {
        Require();
        return Task.FromResult<IReadOnlyList<NodeId>>(_members.Sorted());
    }

    public Task<NodeId?> PickMemberAsync()
    {
        Require();
        return Task.FromResult(_members.Count == 0 ? (NodeId?)null : _members[_random.Next(_members.Count)]);
    }

    public async Task<int> AllocateHostsAsync(int count)
    {
        Require();
        var first = _nextHost;
        _nextHost += count;
        await ChangedAsync();
        return first;
    }

    public async Task<long> StepAsync(int rounds, GrainCancellationToken? cancellation = null)
    {
        var parameters = Require();
        var token = cancellation?.CancellationToken ?? CancellationToken.None;
        for (var r = 0; r < rounds; r++)
        {
            token.ThrowIfCancellationRequested();
            var round = ++_round;

            // One after another in id order (deterministic), or in batches of TicksInParallel.
            var batch = new List<NodeId>(parameters.TicksInParallel);
            foreach (var id in _members.Sorted())
            {
                batch.Add(id);
                if (batch.Count >= parameters.TicksInParallel)
                {
                    await TickAllAsync(batch, parameters, round);
                    batch.Clear();
                }
            }

            await TickAllAsync(batch, parameters, round);
        }

        await ChangedAsync();
        return _round;
    }

    private Task TickAllAsync(List<NodeId> ids, OverlayParameters parameters, long round) =>
        ids.Count == 1 ? TickAsync(ids[0], parameters, round) : Task.WhenAll(ids.Select(id => TickAsync(id, parameters, round)));

    private async Task TickAsync(NodeId id, OverlayParameters parameters, long round)
    {
        if (!_members.Contains(id))
        {
            return;
        }

        try
        {
            await OverlayProtocols.Peer(GrainFactory, parameters, Name, id).TickAsync(round);
        }
        catch (Exception e) when (Unreachable.Is(e) && (!parameters.IsDurable || Unreachable.IsNotMember(e)))
        {
            // A peer of a killed silo comes back empty: it is no longer a member (docs/durability.md).
            // A durable peer is dropped only when it says it is not a member: a failed call while
            // its silo is being declared dead is not that, it comes back with its state.
            Remove(id);
        }
        catch (Exception e) when (Unreachable.Is(e))
        {
            _logger.LogDebug("Durable peer {Peer} of {Overlay} unavailable in round {Round}: {Error}", id, Name, round, e.Message);
        }
    }

    public Task<Orleans.Runtime.SiloAddress> GetHostAsync() => Task.FromResult(GrainContext.Address.SiloAddress!);

    /// <summary>Durable overlays write their state (coalesced); volatile ones never touch storage.</summary>
    private Task PersistAsync() => _parameters is { IsDurable: true } ? _writer.WriteAsync() : Task.CompletedTask;

    /// <summary>Stores (durable overlays) and publishes a change; returns once both are done.</summary>
    private Task ChangedAsync() => Task.WhenAll(PersistAsync(), _publisher.WriteAsync());

    private bool Add(NodeId id)
    {
        if (!_members.Add(id))
        {
            return false;
        }

        _pendingRemoved.Remove(id);
        _pendingAdded.Add(id);
        return true;
    }

    private bool Remove(NodeId id)
    {
        if (!_members.Remove(id))
        {
            return false;
        }

        _pendingAdded.Remove(id);
        _pendingRemoved.Add(id);
        return true;
    }

    /// <summary>
    /// Sends what changed since the last change sent (coalesced: one message covers every change made
    /// while the previous one was on its way), or the whole overlay after activation, creation or deletion.
    /// </summary>
    private Task PublishPendingAsync()
    {
        _version = _version.Next;
        OverlayChange change;
        if (_fullPending || _parameters is null)
        {
            _fullPending = false;
            change = Full();
        }
        else
        {
            change = new OverlayChange(Name, _version, false, _parameters, _createdAt, _round, _nextHost, [.. _pendingAdded], [.. _pendingRemoved]);
        }

        ClearPending(_pendingAdded);
        ClearPending(_pendingRemoved);
        return _replicas.SendAsync(change, Full);
    }

    /// <summary>Empties a pending set; one that held a bulk change gives its storage back (it would keep ~50 bytes a member for good).</summary>
    private static void ClearPending(HashSet<NodeId> pending)
    {
        var large = pending.Count > 1_024;
        pending.Clear();
        if (large)
        {
            pending.TrimExcess();
        }
    }

    private OverlayChange Full() =>
        new(Name, _version, true, _parameters, _createdAt, _round, _nextHost, _parameters is null ? [] : _members.Sorted(), []);

    private async Task SyncStorageAsync()
    {
        if (_parameters is { IsDurable: true } parameters)
        {
            await _stored.WriteAsync(new OverlayRegistryRecord
            {
                Parameters = parameters,
                Members = _members.Sorted(),
                CreatedAt = _createdAt,
                Round = _round,
                NextHost = _nextHost,
            });
        }
        else if (_stored.Exists)
        {
            await _stored.ClearAsync();
        }
    }

    private OverlayParameters Require() =>
        _parameters ?? throw new P2PException($"no overlay named '{Name}' (create it first, or see `p2p list`)");

    private OverlayInfo Info() => new(Name, _parameters!, _members.Count, _round, _createdAt);
}
