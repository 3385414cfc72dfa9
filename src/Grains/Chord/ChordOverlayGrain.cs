using P2POrleans.Common;

namespace P2POrleans.Chord;

/// <summary>
/// Whole-overlay operations of a Chord overlay (bulk joins, converged build, ground-truth check).
/// It reads the registry's membership and calls peers; it never takes part in routing.
/// </summary>
[Orleans.Concurrency.Reentrant]
public sealed class ChordOverlayGrain : StructuredOverlayGrain<ChordParameters, IChordPeerGrain>, IChordOverlayGrain
{
    protected override string Protocol => ChordParameters.Name;

    protected override IEnumerable<(string Address, NodeId Id)> Hosts(ChordParameters parameters, int firstHost, int hosts) =>
        ChordHosts.Addresses(parameters, firstHost, hosts);

    /// <summary>The ideal ring of the members: predecessor, successor list and fingers (Chord section 4).</summary>
    protected override Task<Func<NodeId, string?, Task>> ConvergedInstallerAsync(ChordParameters parameters, IReadOnlyCollection<NodeId> members)
    {
        var ring = new IdealRing(parameters.Space, members);
        return Task.FromResult<Func<NodeId, string?, Task>>((id, address) => Peer(id).InstallAsync(parameters, address ?? "converged",
            ring.Count == 1 ? null : ring.Predecessor(id), ring.SuccessorList(id, parameters.Successors), ring.Fingers(id)));
    }

    public async Task<ChordCheckReport> CheckAsync()
    {
        var parameters = await RequireAsync();
        var members = await Registry.GetMembersAsync();
        if (members.Count == 0)
        {
            return new ChordCheckReport(0, 1, 1, 1, 1, 0, 0, 0, 0);
        }

        var ring = new IdealRing(parameters.Space, members);
        var states = await OverlayGrains.GatherAsync(members, Parallelism, id => Peer(id).GetStateAsync());
        var keys = await OverlayGrains.GatherAsync(members, Parallelism, id => Peer(id).GetKeyIdsAsync());

        int succOk = 0, listOk = 0, predOk = 0;
        long fingerOk = 0, fingerTotal = 0;
        foreach (var state in states.Values)
        {
            var idealList = ring.SuccessorList(state.Id, parameters.Successors);
            succOk += state.Successors.Count > 0 && state.Successors[0] == idealList[0] ? 1 : 0;
            listOk += state.Successors.SequenceEqual(idealList) ? 1 : 0;
            var idealPred = ring.Count == 1 ? (NodeId?)null : ring.Predecessor(state.Id);
            predOk += state.Predecessor == idealPred || (ring.Count == 1 && state.Predecessor == state.Id) ? 1 : 0;

            var table = new FingerTable(parameters.Space, state.Id);
            table.Replace(state.Fingers);
            var ideal = new FingerTable(parameters.Space, state.Id);
            ideal.Replace(ring.Fingers(state.Id));
            for (var i = 0; i < parameters.Bits; i++)
            {
                fingerOk += table[i] == ideal[i] ? 1 : 0;
            }

            fingerTotal += parameters.Bits;
        }

        // Key placement: every distinct key should sit at its owner and its replica targets (the next
        // replicas - 1 peers, or with SpreadReplicas the greedy walk over the silos the peers are on now).
        var silos = states.Values.Where(s => s.Silo is not null).ToDictionary(s => s.Id, s => s.Silo!);
        var holders = new Dictionary<NodeId, HashSet<NodeId>>();
        foreach (var (peer, keyIds) in keys)
        {
            foreach (var k in keyIds)
            {
                if (!holders.TryGetValue(k, out var set))
                {
                    holders[k] = set = [];
                }

                set.Add(peer);
            }
        }

        int atOwner = 0;
        long expected = 0, present = 0;
        foreach (var (keyId, set) in holders)
        {
            var owner = ring.Successor(keyId);
            var replicaSet = ChordNode.ReplicaTargets(parameters, silos.GetValueOrDefault(owner), ring.SuccessorList(owner, parameters.Successors).Where(s => s != owner).ToList(), silos)
                .Prepend(owner).ToList();
            atOwner += set.Contains(replicaSet[0]) ? 1 : 0;
            expected += replicaSet.Count;
            present += replicaSet.Count(set.Contains);
        }

        double F(long ok, long total) => total == 0 ? 1 : (double)ok / total;
        return new ChordCheckReport(members.Count, F(succOk, members.Count), F(listOk, members.Count), F(predOk, members.Count),
            F(fingerOk, fingerTotal), holders.Count, atOwner, expected, present);
    }

    public async Task<IReadOnlyList<ChordPeerState>> RingAsync()
    {
        await RequireAsync();
        var members = await Registry.GetMembersAsync();
        var states = await OverlayGrains.GatherAsync(members, Parallelism, id => Peer(id).GetStateAsync());
        return members.Where(states.ContainsKey).Select(id => states[id]).ToList();
    }

    protected override async Task JoinOneAsync(ChordParameters parameters, NodeId id, string address)
    {
        // Under heavy churn a bootstrap may know only dead successors for the joiner's id: a new
        // peer would try another known peer, so the driver does too (a few times).
        const int attempts = 5;
        for (var attempt = 1; ; attempt++)
        {
            var bootstrap = await Registry.PickMemberAsync();
            try
            {
                await Peer(id).JoinAsync(new ChordJoinRequest(parameters, address, bootstrap));
                return;
            }
            catch (P2PException) when (attempt < attempts && bootstrap is not null)
            {
            }
        }
    }
}
