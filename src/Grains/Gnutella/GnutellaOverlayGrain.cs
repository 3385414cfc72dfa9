using P2POrleans.Common;
using P2POrleans.Unstructured;

namespace P2POrleans.Gnutella;

/// <summary>
/// Whole-overlay operations of a Gnutella overlay: creates the servents of the topology with
/// their links and files, joins newcomers, reads the live graph. It takes no part in routing.
/// </summary>
[Orleans.Concurrency.Reentrant]
public sealed class GnutellaOverlayGrain : Grain, IGnutellaOverlayGrain
{
    private const int Parallelism = 64;

    private string Name => this.GetPrimaryKeyString();

    private IOverlayRegistryGrain Registry => GrainFactory.GetGrain<IOverlayRegistryGrain>(Name);

    private IGnutellaServentGrain Peer(int node) => GrainFactory.GetGrain<IGnutellaServentGrain>(UnstructuredNodes.Key(Name, node));

    public async Task<OverlayInfo> CreateAsync(GnutellaParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var world = UnstructuredWorld.Build(parameters); // throws on a bad edge list before anything exists
        await Registry.CreateAsync(parameters);
        await Registry.AllocateHostsAsync(world.PeerCount);
        await Concurrently.ForEachAsync(Enumerable.Range(0, world.PeerCount), Parallelism, node =>
            Peer(node).InitAsync(new ServentSetup(parameters, node, world.Topology.Neighbours(node).ToArray(), world.Libraries[node].Files.ToArray(),
                world.FirewalledPeers.Contains(node))));
        await Registry.AddMembersAsync(Enumerable.Range(0, world.PeerCount).Select(UnstructuredNodes.IdOf).ToList());
        return await Registry.GetAsync() ?? throw new P2PException($"overlay '{Name}' vanished while it was created");
    }

    public async Task<int> JoinAsync(IReadOnlyList<string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var parameters = await RequireAsync();
        var members = await Registry.GetMembersAsync();
        var node = await Registry.AllocateHostsAsync(1);
        var random = SeededRandom.Create(parameters.Seed, "join", UnstructuredNodes.IdOf(node));
        var links = members.Select(UnstructuredNodes.NodeOf).OrderBy(_ => random.Next()).Take(parameters.Connections).Order().ToArray();
        var shared = files.Select((f, i) => new SharedFile((uint)i, (uint)(1_000_000 + random.Next(9_000_000)), f)).ToArray();
        await Peer(node).InitAsync(new ServentSetup(parameters, node, links, shared, false));
        foreach (var n in links)
        {
            await Peer(n).ConnectAsync(node);
        }

        await Registry.AddMemberAsync(UnstructuredNodes.IdOf(node));
        return node;
    }

    public async Task<IReadOnlyList<UnstructuredPeerView>> PeersAsync()
    {
        await RequireAsync();
        var members = await Registry.GetMembersAsync();
        var views = new List<UnstructuredPeerView>();
        await Concurrently.ForEachAsync(members, Parallelism, async id =>
        {
            try
            {
                views.Add(await Peer(UnstructuredNodes.NodeOf(id)).ViewAsync());
            }
            catch (Exception e) when (Unreachable.Is(e))
            {
                // listed but gone (a killed silo)
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

    private async Task<GnutellaParameters> RequireAsync()
    {
        var info = await Registry.GetAsync() ?? throw new P2PException($"no overlay named '{Name}' (create it first, or see `p2p list`)");
        return info.Parameters as GnutellaParameters
            ?? throw new P2PException($"overlay '{Name}' is a {info.Parameters.Protocol} overlay, not gnutella");
    }
}
