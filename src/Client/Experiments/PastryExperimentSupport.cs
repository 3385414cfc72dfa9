using P2POrleans.Common;
using P2POrleans.Pastry;

namespace P2POrleans.Client.Experiments;

/// <summary>Building converged Pastry overlays and running lookups for the Pastry experiments and the trade-off table.</summary>
public static class PastryExperimentSupport
{
    public static async Task<(string Overlay, IReadOnlyList<NodeId> Members)> BuildAsync(ExperimentContext context, string experiment, PastryParameters parameters, int n)
    {
        var overlay = context.NewOverlayName(experiment);
        await context.Client.GetGrain<IOverlayRegistryGrain>(overlay).CreateAsync(parameters);
        await context.Client.GetGrain<IPastryOverlayGrain>(overlay).BuildConvergedAsync(n);
        return (overlay, await context.Client.GetGrain<IOverlayRegistryGrain>(overlay).GetMembersAsync());
    }

    public static IPastryPeerGrain Peer(ExperimentContext context, string overlay, NodeId id) =>
        context.Client.GetGrain<IPastryPeerGrain>(PeerKeys.For(overlay, id));

    /// <summary>count lookups of random keys from random initiators, both drawn from the seed; results in input order.</summary>
    public static Task<LookupResult[]> LookupsAsync(ExperimentContext context, string overlay, PastryParameters parameters, IReadOnlyList<NodeId> initiators, int count, string stream, int concurrency = ChordExperimentSupport.Concurrency)
    {
        var random = SeededRandom.Create(context.Seed, stream);
        var work = Enumerable.Range(0, count)
            .Select(i => (From: initiators[random.Next(initiators.Count)], Key: parameters.Space.Hash($"{stream}-{random.Next()}-{i}")))
            .ToList();
        return ChordExperimentSupport.RunAllAsync(work, w => Peer(context, overlay, w.From).LookupAsync(w.Key, null), concurrency);
    }

    /// <summary>The latency of the route as the paper measures it (section 3.2): RTTs summed hop by hop along the path.</summary>
    public static double RouteRtt(NetworkModel network, LookupResult r)
    {
        var total = 0.0;
        for (var i = 1; i < r.Path.Count; i++)
        {
            total += network.Rtt(r.Path[i - 1].Node, r.Path[i].Node);
        }

        return total;
    }
}
