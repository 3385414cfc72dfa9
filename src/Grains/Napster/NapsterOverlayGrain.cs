using P2POrleans.Common;
using P2POrleans.Unstructured;

namespace P2POrleans.Napster;

/// <summary>Whole-overlay operations of a Napster overlay: the server and the peers of the shared world.</summary>
[Orleans.Concurrency.Reentrant]
public sealed class NapsterOverlayGrain : Grain, INapsterOverlayGrain
{
    private string Name => this.GetPrimaryKeyString();

    private IOverlayRegistryGrain Registry => GrainFactory.GetGrain<IOverlayRegistryGrain>(Name);

    private INapsterPeerGrain Peer(int node) => GrainFactory.GetGrain<INapsterPeerGrain>(UnstructuredNodes.Key(Name, node));

    public async Task<OverlayInfo> CreateAsync(NapsterParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var world = UnstructuredWorld.Build(parameters); // same peers and files as a Gnutella overlay with these values
        await Registry.CreateAsync(parameters);
        await GrainFactory.GetGrain<INapsterServerGrain>(Name).StartAsync(parameters);
        await Registry.AllocateHostsAsync(world.PeerCount);
        for (var node = 0; node < world.PeerCount; node++)
        {
            // one at a time: the introducer's choices depend on the order of arrival
            await Peer(node).JoinAsync(parameters, world.Libraries[node].Files);
        }

        return await Registry.GetAsync() ?? throw new P2PException($"overlay '{Name}' vanished while it was created");
    }

    public async Task<int> JoinAsync(IReadOnlyList<string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var parameters = await RequireAsync();
        var node = await Registry.AllocateHostsAsync(1);
        var random = SeededRandom.Create(parameters.Seed, "join", UnstructuredNodes.IdOf(node));
        await Peer(node).JoinAsync(parameters, files.Select((f, i) => new SharedFile((uint)i, (uint)(1_000_000 + random.Next(9_000_000)), f)).ToArray());
        return node;
    }

    public async Task<IReadOnlyList<UnstructuredPeerView>> PeersAsync()
    {
        await RequireAsync();
        return await UnstructuredOverlays.PeersAsync<INapsterPeerGrain>(GrainFactory, Name, await Registry.GetMembersAsync());
    }

    public async Task<int> RequireMemberAsync(int node)
    {
        await RequireAsync();
        return await UnstructuredOverlays.RequireMemberAsync<INapsterPeerGrain>(GrainFactory, Name, node);
    }

    private Task<NapsterParameters> RequireAsync() => OverlayGrains.RequireAsync<NapsterParameters>(Registry, Name, "napster");
}
