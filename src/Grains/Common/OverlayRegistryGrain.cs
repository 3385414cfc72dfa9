using Microsoft.Extensions.Logging;

namespace P2POrleans.Common;

/// <summary>
/// Configuration and ground-truth membership of one overlay (DESIGN.md section 3). Reentrant: every
/// mutation is synchronous, so interleaving at the awaits of <see cref="StepAsync"/> is safe; the
/// step works on a snapshot of the members. A durable overlay's registry writes its state to grain
/// storage after each change (one write per call, coalesced) and restores it on activation, so it
/// survives the crash of its silo; a volatile overlay's registry never writes (issue 9).
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
    private OverlayParameters? _parameters;
    private readonly MemberSet _members = new();
    private DateTimeOffset _createdAt;
    private long _round;
    private int _nextHost;
    private Random _random = new(0);

    public OverlayRegistryGrain(ILogger<OverlayRegistryGrain> logger, Orleans.Serialization.Serializer serializer, [PersistentState("registry", P2PStorage.Name)] IPersistentState<StoredBlob> stored)
    {
        _logger = logger;
        _stored = new PersistedRecord<OverlayRegistryRecord>(stored, serializer);
        _writer = new CoalescingWriter(SyncStorageAsync);
    }

    private string Name => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (_stored.Read() is { Parameters: { IsDurable: true } parameters } record)
        {
            _parameters = parameters;
            foreach (var id in record.Members)
            {
                _members.Add(id);
            }

            _createdAt = record.CreatedAt;
            _round = record.Round;
            _nextHost = record.NextHost;
            _random = SeededRandom.Create(parameters.Seed, "registry/restored/" + _round.ToString(System.Globalization.CultureInfo.InvariantCulture));
            _logger.LogInformation("Restored durable overlay {Overlay} ({Protocol}) with {Count} members", Name, parameters.Protocol, _members.Count);
        }

        return Task.CompletedTask;
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
        await PersistAsync();
        await GrainFactory.GetGrain<IOverlayDirectoryGrain>(0).AddAsync(Name, parameters.Protocol, parameters.IsDurable);
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
        if (parameters.IsDurable)
        {
            await _writer.WriteAsync();
        }

        foreach (var id in members)
        {
            await OverlayProtocols.Peer(GrainFactory, parameters, Name, id).StopAsync();
        }

        await GrainFactory.GetGrain<IOverlayDirectoryGrain>(0).RemoveAsync(Name);
        _logger.LogInformation("Deleted overlay {Overlay} and stopped {Count} peers", Name, members.Count);
    }

    public Task AddMemberAsync(NodeId id)
    {
        Require();
        return _members.Add(id) ? PersistAsync() : Task.CompletedTask;
    }

    public Task AddMembersAsync(IReadOnlyList<NodeId> ids)
    {
        Require();
        foreach (var id in ids)
        {
            _members.Add(id);
        }

        return PersistAsync();
    }

    public Task RemoveMemberAsync(NodeId id) => _members.Remove(id) ? PersistAsync() : Task.CompletedTask;

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
        await PersistAsync();
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
            foreach (var id in _members.Sorted())
            {
                if (!_members.Contains(id))
                {
                    continue;
                }

                try
                {
                    await OverlayProtocols.Peer(GrainFactory, parameters, Name, id).TickAsync(round);
                }
                catch (Exception e) when (Unreachable.Is(e) && (!parameters.IsDurable || Unreachable.IsNotMember(e)))
                {
                    // A peer of a killed silo comes back empty: it is no longer a member (DESIGN.md section 6).
                    // A durable peer is dropped only when it says it is not a member: a failed call while
                    // its silo is being declared dead is not that, it comes back with its state.
                    _members.Remove(id);
                }
                catch (Exception e) when (Unreachable.Is(e))
                {
                    _logger.LogDebug("Durable peer {Peer} of {Overlay} unavailable in round {Round}: {Error}", id, Name, round, e.Message);
                }
            }
        }

        await PersistAsync();
        return _round;
    }

    public Task<Orleans.Runtime.SiloAddress> GetHostAsync() => Task.FromResult(GrainContext.Address.SiloAddress!);

    /// <summary>Durable overlays write their state (coalesced); volatile ones never touch storage.</summary>
    private Task PersistAsync() => _parameters is { IsDurable: true } ? _writer.WriteAsync() : Task.CompletedTask;

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
