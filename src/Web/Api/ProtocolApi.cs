using P2POrleans.Common;

namespace P2POrleans.Web.Api;

/// <summary>
/// What the page and the API can do with one protocol's overlays. Each operation calls the same
/// grain methods as the console's command of the same name, so the page and `p2p` always agree.
/// An operation a protocol does not have answers 400 with the list of those it has.
/// </summary>
public abstract class ProtocolApi
{
    /// <summary>The protocol's name as the registry reports it ("chord", "swarm", ...).</summary>
    public abstract string Protocol { get; }

    /// <summary>Actions the page offers for this protocol (besides create and delete).</summary>
    public abstract IReadOnlyList<string> Actions { get; }

    /// <summary>The overlay's parameters from a create request; unset fields take the console's defaults.</summary>
    public abstract OverlayParameters Parameters(RequestBody body, WebOptions options);

    public virtual async Task<OverlayInfo> CreateAsync(IGrainFactory grains, string name, OverlayParameters parameters) =>
        await grains.GetGrain<IOverlayRegistryGrain>(name).CreateAsync(parameters);

    /// <summary>Every live peer, compact (10,000 of them must load fast): what the overview draws.</summary>
    public abstract Task<object> PeersAsync(OverlayContext overlay);

    /// <summary>One peer's full state.</summary>
    public abstract Task<object> PeerAsync(OverlayContext overlay, string id);

    public virtual Task<object> JoinAsync(OverlayContext overlay, RequestBody body) => Unsupported(overlay, "join");

    public virtual Task<object> FailAsync(OverlayContext overlay, RequestBody body) => Unsupported(overlay, "fail");

    public virtual Task<object> LeaveAsync(OverlayContext overlay, RequestBody body) => Unsupported(overlay, "leave");

    public virtual async Task<object> StepAsync(OverlayContext overlay, RequestBody body)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        ArgumentNullException.ThrowIfNull(body);
        var rounds = body.Int("rounds", 1, 100_000) ?? 1;
        return new { round = await overlay.Registry.StepAsync(rounds) };
    }

    /// <summary>A traced lookup (a search for the unstructured systems): the answer the console's --json prints, plus ring positions.</summary>
    public virtual Task<object> LookupAsync(OverlayContext overlay, RequestBody body) => Unsupported(overlay, "lookup");

    public virtual Task<object> PutAsync(OverlayContext overlay, RequestBody body) => Unsupported(overlay, "put");

    public virtual Task<object> GetAsync(OverlayContext overlay, RequestBody body) => Unsupported(overlay, "get");

    /// <summary>Protocol-wide state beyond the peers (a check, the groups, the server, the swarm's progress).</summary>
    public virtual Task<object> SummaryAsync(OverlayContext overlay) => Task.FromResult<object>(new { });

    /// <summary>Any other action of the protocol (napster fail-server, swarm run...).</summary>
    public virtual Task<object> ActAsync(OverlayContext overlay, string action, RequestBody body) => Unsupported(overlay, action);

    protected Task<object> Unsupported(OverlayContext overlay, string action)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        throw new WebProblem($"'{overlay.Name}' is a {Protocol} overlay, which has no '{action}' (it has: {string.Join(", ", Actions)})");
    }

    /// <summary>The number of peers a join or fail asks for, or the single id, not both.</summary>
    protected static (int? Count, string? Id) CountOrId(RequestBody body, int maxCount, bool idAllowed = true)
    {
        ArgumentNullException.ThrowIfNull(body);
        var id = idAllowed ? body.String("id", 80) : null;
        var count = body.Int("count", 1, maxCount);
        if (id is not null && count is not null)
        {
            throw new WebProblem("give a count or an id, not both");
        }

        return (count, id);
    }

    /// <summary>A join of <paramref name="count"/> more peers must keep the overlay within the page's limit.</summary>
    protected static void CheckRoom(OverlayContext overlay, int count)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        if ((long)overlay.Info.Members + count > overlay.Options.MaxPeers)
        {
            throw new WebProblem($"too many peers: '{overlay.Name}' has {overlay.Info.Members:N0}, and {count:N0} more would pass the page's limit of {overlay.Options.MaxPeers:N0}");
        }
    }

    /// <summary>Members picked by a seeded shuffle, as `fail --count --seed` does.</summary>
    protected static List<NodeId> Victims(IReadOnlyList<NodeId> members, int count, long seed)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (count > members.Count)
        {
            throw new WebProblem($"'count' must be between 1 and the {members.Count} members");
        }

        var random = new Random(unchecked((int)(seed ^ (seed >> 32))));
        return [.. members.OrderBy(_ => random.Next()).Take(count)];
    }
}
