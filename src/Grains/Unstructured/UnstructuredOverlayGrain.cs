using P2POrleans.Common;

namespace P2POrleans.Unstructured;

/// <summary>
/// What the Napster, Gnutella and FastTrack overlay grains do the same way: the registry, the
/// `peers` view, the member check and the files a newcomer brings. They take no part in searches.
/// </summary>
/// <typeparam name="TParameters">The protocol's parameters.</typeparam>
/// <typeparam name="TPeer">The protocol's peer grain interface.</typeparam>
public abstract class UnstructuredOverlayGrain<TParameters, TPeer> : Grain
    where TParameters : UnstructuredParameters
    where TPeer : IUnstructuredPeer
{
    private const int Parallelism = 64;

    protected string Name => this.GetPrimaryKeyString();

    protected IOverlayRegistryGrain Registry => GrainFactory.GetGrain<IOverlayRegistryGrain>(Name);

    protected TPeer Peer(int node) => GrainFactory.GetGrain<TPeer>(UnstructuredNodes.Key(Name, node));

    /// <summary>Every member's view, by node; members that no longer answer (a killed silo) are left out.</summary>
    public async Task<IReadOnlyList<UnstructuredPeerView>> PeersAsync()
    {
        await RequireAsync();
        var members = await Registry.GetMembersAsync();
        var views = await OverlayGrains.GatherAsync(members, Parallelism, id => Peer(UnstructuredNodes.NodeOf(id)).ViewAsync());
        return views.Values.OrderBy(v => v.Node).ToList();
    }

    /// <summary>The node if it is a member of the overlay; one clear error otherwise.</summary>
    public async Task<int> RequireMemberAsync(int node)
    {
        await RequireAsync();
        if (node < 0 || !await Peer(node).IsMemberAsync())
        {
            throw new P2PException($"peer {node} is not a member of '{Name}'");
        }

        return node;
    }

    /// <summary>The overlay's parameters, or one clear error when there is no such overlay of this protocol.</summary>
    protected Task<TParameters> RequireAsync() => OverlayGrains.RequireAsync<TParameters>(Registry, Name, ProtocolName);

    protected abstract string ProtocolName { get; }

    /// <summary>The overlay as the registry has it once it is created.</summary>
    protected async Task<OverlayInfo> CreatedAsync() =>
        await Registry.GetAsync() ?? throw new P2PException($"overlay '{Name}' vanished while it was created");

    /// <summary>
    /// Where every join starts: the overlay's parameters, the newcomer's number (the next host) and its own seeded
    /// stream ("join", its id), from which it draws its choices and, through <see cref="NewcomerFiles"/>, its files' sizes.
    /// </summary>
    protected async Task<(TParameters Parameters, int Node, Random Random)> NewcomerAsync()
    {
        var parameters = await RequireAsync();
        var node = await Registry.AllocateHostsAsync(1);
        return (parameters, node, SeededRandom.Create(parameters.Seed, "join", UnstructuredNodes.IdOf(node)));
    }

    /// <summary>The files a peer that joins later shares: indexes 0.., sizes drawn from its own seeded stream.</summary>
    protected static IReadOnlyList<SharedFile> NewcomerFiles(IReadOnlyList<string> names, Random random)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(random);
        return names.Select((f, i) => new SharedFile((uint)i, (uint)(1_000_000 + random.Next(9_000_000)), f)).ToArray();
    }
}
