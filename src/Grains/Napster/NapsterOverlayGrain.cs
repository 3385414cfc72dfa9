using P2POrleans.Common;
using P2POrleans.Unstructured;

namespace P2POrleans.Napster;

/// <summary>Whole-overlay operations of a Napster overlay: the server and the peers of the shared world.</summary>
[Orleans.Concurrency.Reentrant]
public sealed class NapsterOverlayGrain : UnstructuredOverlayGrain<NapsterParameters, INapsterPeerGrain>, INapsterOverlayGrain
{
    protected override string ProtocolName => NapsterParameters.Name;

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

        return await CreatedAsync();
    }

    public async Task<int> JoinAsync(IReadOnlyList<string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var (parameters, node, random) = await NewcomerAsync();
        await Peer(node).JoinAsync(parameters, NewcomerFiles(files, random));
        return node;
    }
}
