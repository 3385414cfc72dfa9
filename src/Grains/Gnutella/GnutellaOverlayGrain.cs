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

    private IGnutellaPeerGrain Peer(int node) => GrainFactory.GetGrain<IGnutellaPeerGrain>(UnstructuredNodes.Key(Name, node));

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
        return await UnstructuredOverlays.PeersAsync<IGnutellaPeerGrain>(GrainFactory, Name, await Registry.GetMembersAsync());
    }

    public async Task<int> RequireMemberAsync(int node)
    {
        await RequireAsync();
        return await UnstructuredOverlays.RequireMemberAsync<IGnutellaPeerGrain>(GrainFactory, Name, node);
    }

    private Task<GnutellaParameters> RequireAsync() => OverlayGrains.RequireAsync<GnutellaParameters>(Registry, Name, "gnutella");
}
