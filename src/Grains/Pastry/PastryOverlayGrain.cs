using P2POrleans.Common;

namespace P2POrleans.Pastry;

/// <summary>
/// Whole-overlay operations of a Pastry overlay (bulk joins, converged build, ground-truth check).
/// It reads the registry's membership and calls peers; it never takes part in routing.
/// </summary>
[Orleans.Concurrency.Reentrant]
public sealed class PastryOverlayGrain : StructuredOverlayGrain<PastryParameters, IPastryPeerGrain>, IPastryOverlayGrain
{
    private const int BootstrapPicks = 4;

    protected override string Protocol => PastryParameters.Name;

    protected override IEnumerable<(string Address, NodeId Id)> Hosts(PastryParameters parameters, int firstHost, int hosts) =>
        Addresses(parameters, firstHost, hosts);

    /// <summary>The converged routing table, leaf set and neighbourhood set of each member (<see cref="PastryIdealState"/>).</summary>
    protected override Task<Func<NodeId, string?, Task>> ConvergedInstallerAsync(PastryParameters parameters, IReadOnlyCollection<NodeId> members)
    {
        var network = new NetworkModel(parameters.Seed);
        var ideal = new PastryIdealState(members, parameters, network.Rtt, SeededRandom.Create(parameters.Seed, "pastry-converged"));
        return Task.FromResult<Func<NodeId, string?, Task>>((id, address) =>
        {
            var state = PastrySnapshots.ToPeerState(ideal.StateOf(id), address ?? "converged", 0, 0, 0);
            return Peer(id).InstallAsync(parameters, state.Address, state);
        });
    }

    public async Task<PastryCheckReport> CheckAsync()
    {
        var parameters = await RequireAsync();
        var members = await Registry.GetMembersAsync();
        var live = new PastryIdIndex(members, parameters);
        var snapshots = await OverlayGrains.GatherAsync(members, Parallelism, id => Peer(id).GetStateAsync());
        var keys = await OverlayGrains.GatherAsync(members, Parallelism, id => Peer(id).GetKeyIdsAsync());
        var network = new NetworkModel(parameters.Seed);
        var states = snapshots.Values.Select(s => PastrySnapshots.Restore(s, parameters, network.Rtt));
        var truth = PastryStateChecker.Check(live, states);

        // Key placement: every distinct key should sit on its holders among the live peers: the k
        // numerically closest, or (spread replicas) the placement the root computes from its ideal
        // leaf set with the silos the peers report.
        string? SiloOf(NodeId id) => snapshots.TryGetValue(id, out var s) ? s.Silo : null;
        var holders = new Dictionary<NodeId, HashSet<NodeId>>();
        foreach (var (peer, keyIds) in keys)
        {
            foreach (var k in keyIds)
            {
                (holders.TryGetValue(k, out var set) ? set : holders[k] = []).Add(peer);
            }
        }

        int atOwner = 0;
        long expected = 0, present = 0;
        foreach (var (keyId, set) in holders)
        {
            var replicaSet = PastryReplicas.IdealHolders(live, keyId, parameters.Replicas, parameters.SpreadReplicas, SiloOf);
            atOwner += set.Contains(replicaSet[0]) ? 1 : 0;
            expected += replicaSet.Count;
            present += replicaSet.Count(set.Contains);
        }

        return new PastryCheckReport(truth, holders.Count, atOwner, expected, present);
    }

    /// <summary>A few registry picks go with the request; the joiner pings them and joins through the nearest (section 2.4).</summary>
    protected override async Task JoinOneAsync(PastryParameters parameters, NodeId id, string address)
    {
        var picks = new List<NodeId>();
        for (var i = 0; i < BootstrapPicks; i++)
        {
            if (await Registry.PickMemberAsync() is { } pick && !picks.Contains(pick))
            {
                picks.Add(pick);
            }
        }

        await Peer(id).JoinAsync(new PastryJoinRequest(parameters, address, [.. picks]));
    }

    /// <summary>Simulated hosts "10.a.b.c:port"; a peer's id is SHA-1 of its address truncated to m bits (section 2).</summary>
    internal static IEnumerable<(string Address, NodeId Id)> Addresses(PastryParameters parameters, int firstHost, int hosts) =>
        SimulatedHosts.Addresses(parameters.Space, parameters.Seed, SimulatedHosts.PastryKelipsBasePort, firstHost, hosts);
}
