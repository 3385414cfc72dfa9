using P2POrleans.Common;
using P2POrleans.Unstructured;

namespace P2POrleans.Gnutella;

/// <summary>
/// Whole-overlay operations of a Gnutella overlay: creates the servents of the topology with
/// their links and files, joins newcomers, reads the live graph. It takes no part in routing.
/// </summary>
[Orleans.Concurrency.Reentrant]
public sealed class GnutellaOverlayGrain : UnstructuredOverlayGrain<GnutellaParameters, IGnutellaPeerGrain>, IGnutellaOverlayGrain
{
    private const int Parallelism = 64;

    protected override string ProtocolName => GnutellaParameters.Name;

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
        return await CreatedAsync();
    }

    /// <summary>A newcomer links to <see cref="GnutellaParameters.Connections"/> random members (a host cache's answer).</summary>
    public async Task<int> JoinAsync(IReadOnlyList<string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var (parameters, node, random) = await NewcomerAsync();
        var members = await Registry.GetMembersAsync();
        var links = members.Select(UnstructuredNodes.NodeOf).OrderBy(_ => random.Next()).Take(parameters.Connections).Order().ToArray();
        await Peer(node).InitAsync(new ServentSetup(parameters, node, links, NewcomerFiles(files, random), false));
        foreach (var n in links)
        {
            await Peer(n).ConnectAsync(node);
        }

        await Registry.AddMemberAsync(UnstructuredNodes.IdOf(node));
        return node;
    }
}
