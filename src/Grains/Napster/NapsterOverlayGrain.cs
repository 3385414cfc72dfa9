using P2POrleans.Common;
using P2POrleans.Unstructured;

namespace P2POrleans.Napster;

/// <summary>Whole-overlay operations of a Napster overlay: the server and the peers of the shared world.</summary>
[Orleans.Concurrency.Reentrant]
public sealed class NapsterOverlayGrain : Grain, INapsterOverlayGrain
{
    private const int Parallelism = 64;

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
        var views = new List<UnstructuredPeerView>();
        await Concurrently.ForEachAsync(await Registry.GetMembersAsync(), Parallelism, async id =>
        {
            try
            {
                views.Add(await Peer(UnstructuredNodes.NodeOf(id)).ViewAsync());
            }
            catch (Exception e) when (Unreachable.Is(e))
            {
                // listed but gone
            }
        });
        return views.OrderBy(v => v.Node).ToList();
    }

    public async Task<int> RequireMemberAsync(int node)
    {
        await RequireAsync();
        if (node < 0 || !await Peer(node).IsMemberAsync())
        {
            throw new P2PException($"peer {node} is not a member of '{Name}'");
        }

        return node;
    }

    private async Task<NapsterParameters> RequireAsync()
    {
        var info = await Registry.GetAsync() ?? throw new P2PException($"no overlay named '{Name}' (create it first, or see `p2p list`)");
        return info.Parameters as NapsterParameters
            ?? throw new P2PException($"overlay '{Name}' is a {info.Parameters.Protocol} overlay, not napster");
    }
}
