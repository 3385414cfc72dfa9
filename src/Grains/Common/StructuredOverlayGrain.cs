namespace P2POrleans.Common;

/// <summary>
/// What the whole-overlay grains of the structured overlays (key = overlay name) share: the overlay's
/// parameters from the registry, its peers, joins of simulated hosts, the join of one peer with an
/// explicit id, the converged build and the choice of an initiator. Each protocol says which hosts it
/// simulates (<see cref="Hosts"/>), how one peer joins (<see cref="JoinOneAsync"/>) and how a member is
/// given its converged state (<see cref="ConvergedInstallerAsync"/>), and adds its ground-truth check.
/// It reads the registry's membership and calls peers; it never takes part in routing.
/// </summary>
public abstract class StructuredOverlayGrain<TParameters, TPeer> : Grain
    where TParameters : OverlayParameters
    where TPeer : IMemberPeer
{
    /// <summary>Peers called at once by the bulk operations (converged build, checks).</summary>
    protected const int Parallelism = 64;

    protected string Name => this.GetPrimaryKeyString();

    protected IOverlayRegistryGrain Registry => GrainFactory.GetGrain<IOverlayRegistryGrain>(Name);

    /// <summary>The protocol's name, for "overlay 'x' is a ... overlay, not ..." errors.</summary>
    protected abstract string Protocol { get; }

    /// <summary>Joins peer <paramref name="id"/> through the protocol's join (a bootstrap picked from the registry's members).</summary>
    protected abstract Task JoinOneAsync(TParameters parameters, NodeId id, string address);

    /// <summary>Host addresses <paramref name="firstHost"/> .. + <paramref name="hosts"/> - 1 and their ids, no id twice (<see cref="SimulatedHosts"/>).</summary>
    protected abstract IEnumerable<(string Address, NodeId Id)> Hosts(TParameters parameters, int firstHost, int hosts);

    /// <summary>
    /// How each of <paramref name="members"/> is given its state in the converged overlay of exactly
    /// those members: called with a member and its address (null for a member that was there before).
    /// </summary>
    protected abstract Task<Func<NodeId, string?, Task>> ConvergedInstallerAsync(TParameters parameters, IReadOnlyCollection<NodeId> members);

    /// <summary>
    /// Joins new simulated hosts one after the other through the protocol's join. A host whose id is
    /// already a member's (a hash collision in a small id space) is skipped: it is not a new peer.
    /// </summary>
    public async Task<IReadOnlyList<NodeId>> JoinHostsAsync(int hosts)
    {
        var parameters = await RequireAsync();
        OverlayGrains.CheckCount(hosts);
        var known = (await Registry.GetMembersAsync()).ToHashSet();
        var first = await Registry.AllocateHostsAsync(hosts);
        var joined = new List<NodeId>();
        foreach (var (address, id) in Hosts(parameters, first, hosts))
        {
            if (known.Add(id))
            {
                await JoinOneAsync(parameters, id, address);
                joined.Add(id);
            }
        }

        return joined;
    }

    /// <summary>
    /// Adds new simulated hosts with every member's converged state installed directly (the existing
    /// members' too: their neighbours changed); no joins, no rounds. Ids already members are skipped.
    /// </summary>
    public async Task<IReadOnlyList<NodeId>> BuildConvergedAsync(int hosts)
    {
        var parameters = await RequireAsync();
        OverlayGrains.CheckCount(hosts);
        var known = (await Registry.GetMembersAsync()).ToHashSet();
        var first = await Registry.AllocateHostsAsync(hosts);
        var added = Hosts(parameters, first, hosts).Where(a => known.Add(a.Id)).ToDictionary(a => a.Id, a => a.Address);
        var install = await ConvergedInstallerAsync(parameters, known);
        await Concurrently.ForEachAsync(known, Parallelism, id => install(id, added.GetValueOrDefault(id)));
        var ids = added.Keys.ToList();
        await Registry.AddMembersAsync(ids);
        return ids;
    }

    /// <summary>Joins one peer with an explicit id.</summary>
    public async Task<NodeId> JoinIdAsync(NodeId id)
    {
        var parameters = await RequireAsync();
        if (!parameters.Space.Contains(id))
        {
            throw new P2PException($"id {id} does not fit in {parameters.Space.Bits} bits");
        }

        if (await Peer(id).IsMemberAsync())
        {
            throw new P2PException($"peer {parameters.Space.Format(id)} is already a member of '{Name}'");
        }

        await JoinOneAsync(parameters, id, "explicit:" + parameters.Space.Format(id));
        return id;
    }

    /// <summary>A live peer: the given one if it is a member, else one picked by the registry.</summary>
    public async Task<NodeId> ResolveInitiatorAsync(NodeId? preferred)
    {
        var parameters = await RequireAsync();
        if (preferred is { } id)
        {
            if (!await Peer(id).IsMemberAsync())
            {
                throw new P2PException($"peer {parameters.Space.Format(id)} is not a member of '{Name}'");
            }

            return id;
        }

        return await Registry.PickMemberAsync() ?? throw new P2PException($"overlay '{Name}' has no peers; join some first");
    }

    protected Task<TParameters> RequireAsync() => OverlayGrains.RequireAsync<TParameters>(Registry, Name, Protocol);

    protected TPeer Peer(NodeId id) => GrainReferences.Peer<TPeer>(GrainFactory, Name, id);
}
