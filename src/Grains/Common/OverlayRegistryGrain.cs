using Microsoft.Extensions.Logging;

namespace P2POrleans.Common;

/// <summary>
/// Configuration and ground-truth membership of one overlay (DESIGN.md section 3). Reentrant: every
/// mutation is synchronous, so interleaving at the awaits of <see cref="StepAsync"/> is safe; the
/// step works on a snapshot of the members.
/// </summary>
[Orleans.Concurrency.Reentrant]
[CollectionAgeLimit(AlwaysActive = true)]
public sealed class OverlayRegistryGrain(ILogger<OverlayRegistryGrain> logger) : Grain, IOverlayRegistryGrain
{
    private OverlayParameters? _parameters;
    private readonly MemberSet _members = new();
    private DateTimeOffset _createdAt;
    private long _round;
    private int _nextHost;
    private Random _random = new(0);

    private string Name => this.GetPrimaryKeyString();

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

        if (!ProtocolCatalog.IsKnown(parameters.Protocol))
        {
            throw new P2PException($"unknown protocol '{parameters.Protocol}' (known: {string.Join(", ", ProtocolCatalog.Protocols)})");
        }

        var problems = parameters.Validate().ToList();
        if (problems.Count > 0)
        {
            throw new P2PException($"invalid parameters for overlay '{Name}': {string.Join("; ", problems)}");
        }

        _parameters = parameters;
        _createdAt = DateTimeOffset.UtcNow;
        _random = SeededRandom.Create(parameters.Seed, "registry");
        await GrainFactory.GetGrain<IOverlayDirectoryGrain>(0).AddAsync(Name, parameters.Protocol);
        logger.LogInformation("Created overlay {Overlay} ({Protocol})", Name, parameters.Protocol);
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
        foreach (var id in members)
        {
            await ProtocolCatalog.Peer(GrainFactory, parameters, Name, id).StopAsync();
        }

        await GrainFactory.GetGrain<IOverlayDirectoryGrain>(0).RemoveAsync(Name);
        logger.LogInformation("Deleted overlay {Overlay} and stopped {Count} peers", Name, members.Count);
    }

    public Task AddMemberAsync(NodeId id)
    {
        Require();
        _members.Add(id);
        return Task.CompletedTask;
    }

    public Task AddMembersAsync(IReadOnlyList<NodeId> ids)
    {
        Require();
        foreach (var id in ids)
        {
            _members.Add(id);
        }

        return Task.CompletedTask;
    }

    public Task RemoveMemberAsync(NodeId id)
    {
        _members.Remove(id);
        return Task.CompletedTask;
    }

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

    public Task<int> AllocateHostsAsync(int count)
    {
        Require();
        var first = _nextHost;
        _nextHost += count;
        return Task.FromResult(first);
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
                    await ProtocolCatalog.Peer(GrainFactory, parameters, Name, id).TickAsync(round);
                }
                catch (Exception e) when (Unreachable.Is(e))
                {
                    // A peer of a killed silo comes back empty: it is no longer a member (DESIGN.md section 6).
                    _members.Remove(id);
                }
            }
        }

        return _round;
    }

    public Task<Orleans.Runtime.SiloAddress> GetHostAsync() => Task.FromResult(GrainContext.Address.SiloAddress!);

    private OverlayParameters Require() =>
        _parameters ?? throw new P2PException($"no overlay named '{Name}' (create it first, or see `p2p list`)");

    private OverlayInfo Info() => new(Name, _parameters!, _members.Count, _round, _createdAt);
}
