namespace P2POrleans.Common;

/// <summary>
/// What the whole-overlay grains of the structured overlays (key = overlay name) share: the overlay's
/// parameters from the registry, its peers, the join of one peer with an explicit id and the choice
/// of an initiator. Each protocol adds its bulk joins, converged build and ground-truth check, and says
/// how one peer joins (<see cref="JoinOneAsync"/>). It reads the registry's membership and calls peers;
/// it never takes part in routing.
/// </summary>
public abstract class StructuredOverlayGrain<TParameters, TPeer> : Grain
    where TParameters : OverlayParameters
    where TPeer : IMemberPeer
{
    protected string Name => this.GetPrimaryKeyString();

    protected IOverlayRegistryGrain Registry => GrainFactory.GetGrain<IOverlayRegistryGrain>(Name);

    /// <summary>The protocol's name, for "overlay 'x' is a ... overlay, not ..." errors.</summary>
    protected abstract string Protocol { get; }

    /// <summary>Joins peer <paramref name="id"/> through the protocol's join (a bootstrap picked from the registry's members).</summary>
    protected abstract Task JoinOneAsync(TParameters parameters, NodeId id, string address);

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
