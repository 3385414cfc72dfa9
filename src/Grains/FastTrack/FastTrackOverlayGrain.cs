using P2POrleans.Common;
using P2POrleans.Unstructured;

namespace P2POrleans.FastTrack;

/// <summary>
/// Whole-overlay operations of a FastTrack overlay, and the known-supernode list clients start
/// from (a bootstrap cache: never used to route a search). The list lives in this activation only;
/// an activation that replaces one lost with its silo asks every member for its role and starts
/// from the supernodes that answer (docs/fasttrack.md, "When the overlay grain's silo dies").
/// </summary>
[Orleans.Concurrency.Reentrant]
[CollectionAgeLimit(AlwaysActive = true)]
public sealed class FastTrackOverlayGrain : UnstructuredOverlayGrain<FastTrackParameters, IFastTrackPeerGrain>, IFastTrackOverlayGrain
{
    private const int Parallelism = 64;
    private readonly SortedSet<int> _supernodes = [];

    protected override string ProtocolName => FastTrackParameters.Name;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Always active: a new activation of an existing overlay means the previous one died with its silo.
        if (await Registry.GetAsync() is not { Parameters: FastTrackParameters })
        {
            return;
        }

        var views = await OverlayGrains.GatherAsync(await Registry.GetMembersAsync(), Parallelism, id => Peer(UnstructuredNodes.NodeOf(id)).ViewAsync());
        foreach (var view in views.Values.Where(v => v.Role.StartsWith(FastTrackNode.SupernodeRole, StringComparison.Ordinal)))
        {
            _supernodes.Add(view.Node);
        }
    }

    public async Task<OverlayInfo> CreateAsync(FastTrackParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var world = UnstructuredWorld.Build(parameters); // same peers and files as the Gnutella overlay with these values
        await Registry.CreateAsync(parameters);
        _supernodes.Clear();
        await Registry.AllocateHostsAsync(world.PeerCount);
        var random = SeededRandom.Create(parameters.Seed, "uptime");
        var uptimes = Enumerable.Range(0, world.PeerCount).Select(_ => -parameters.MeanUptimeHours * Math.Log(1 - random.NextDouble())).ToArray();
        await Concurrently.ForEachAsync(Enumerable.Range(0, world.PeerCount), Parallelism, node =>
            Peer(node).InitAsync(new FastTrackSetup(parameters, world.Libraries[node].Files.ToArray(), uptimes[node], 0)));

        var promoted = new List<int>();
        for (var node = 0; node < world.PeerCount; node++)
        {
            if (await Peer(node).WantsPromotionAsync())
            {
                promoted.Add(node);
            }
        }

        if (promoted.Count == 0 && world.PeerCount > 0)
        {
            promoted.Add(Array.IndexOf(uptimes, uptimes.Max())); // somebody has to index: the longest-connected peer
        }

        foreach (var node in promoted)
        {
            await Peer(node).PromoteAsync();
        }

        for (var node = 0; node < world.PeerCount; node++)
        {
            if (!_supernodes.Contains(node))
            {
                await Peer(node).AttachAsync();
            }
        }

        await Registry.AddMembersAsync(Enumerable.Range(0, world.PeerCount).Select(UnstructuredNodes.IdOf).ToList());
        return await CreatedAsync();
    }

    public async Task<int> JoinAsync(IReadOnlyList<string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var (parameters, node, random) = await NewcomerAsync();
        await Peer(node).InitAsync(new FastTrackSetup(parameters, NewcomerFiles(files, random), 0, 0));
        if (_supernodes.Count == 0)
        {
            await Peer(node).PromoteAsync();
        }
        else
        {
            await Peer(node).AttachAsync();
        }

        await Registry.AddMemberAsync(UnstructuredNodes.IdOf(node));
        return node;
    }

    public Task<IReadOnlyList<int>> SupernodesAsync() => Task.FromResult<IReadOnlyList<int>>(_supernodes.ToList());

    public Task AddSupernodeAsync(int node)
    {
        _supernodes.Add(node);
        return Task.CompletedTask;
    }

    public Task RemoveSupernodeAsync(int node)
    {
        _supernodes.Remove(node);
        return Task.CompletedTask;
    }
}
