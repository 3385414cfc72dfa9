using P2POrleans.Client.Structured;
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
        await PastryAdapter.Instance.BuildConvergedAsync(context.Client, overlay, n);
        return (overlay, await context.Client.GetGrain<IOverlayRegistryGrain>(overlay).GetMembersAsync());
    }

    /// <summary>How an experiment's overlay is built.</summary>
    public enum Build
    {
        /// <summary>Every member's ideal state installed from the oracle (<c>PastryIdealState</c>).</summary>
        Converged,

        /// <summary>Peers join one by one through Pastry's join protocol (section 2.4), nothing installed.</summary>
        Joined,
    }

    public static string Name(Build build) => build == Build.Converged ? "converged" : "joined";

    /// <summary>
    /// The same hosts (so the same ids) as <see cref="BuildAsync"/>, joined one after the other
    /// through the join protocol, in batches so that progress shows and no call runs for long.
    /// </summary>
    public static async Task<(string Overlay, IReadOnlyList<NodeId> Members)> BuildJoinedAsync(ExperimentContext context, string experiment, PastryParameters parameters, int n, Action<double>? progress = null)
    {
        const int batch = 100;
        var overlay = context.NewOverlayName(experiment);
        await context.Client.GetGrain<IOverlayRegistryGrain>(overlay).CreateAsync(parameters);
        for (var done = 0; done < n; done += batch)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            await PastryAdapter.Instance.JoinAsync(context.Client, overlay, Math.Min(batch, n - done));
            progress?.Invoke((double)(done + batch) / n);
        }

        return (overlay, await context.Client.GetGrain<IOverlayRegistryGrain>(overlay).GetMembersAsync());
    }

    public static Task<(string Overlay, IReadOnlyList<NodeId> Members)> BuildAsync(ExperimentContext context, string experiment, PastryParameters parameters, int n, Build build, Action<double>? progress = null) =>
        build == Build.Converged ? BuildAsync(context, experiment, parameters, n) : BuildJoinedAsync(context, experiment, parameters, n, progress);

    public static IPastryPeerGrain Peer(ExperimentContext context, string overlay, NodeId id) => PastryAdapter.Peer(context.Client, overlay, id);

    /// <summary>count lookups of random keys from random initiators, both drawn from the seed; results in input order.</summary>
    public static Task<LookupResult[]> LookupsAsync(ExperimentContext context, string overlay, PastryParameters parameters, IReadOnlyList<NodeId> initiators, int count, string stream, int concurrency = ChordExperimentSupport.Concurrency)
    {
        var random = SeededRandom.Create(context.Seed, stream);
        var work = Enumerable.Range(0, count)
            .Select(i => (From: initiators[random.Next(initiators.Count)], Key: parameters.Space.Hash($"{stream}-{random.Next()}-{i}")))
            .ToList();
        return ChordExperimentSupport.RunAllAsync(work, w => Peer(context, overlay, w.From).LookupAsync(w.Key, null), concurrency);
    }

    /// <summary>Euclidean distance between two peers' points of the network model's plane (the paper's proximity metric in its emulation).</summary>
    public static double Distance(NetworkModel network, NodeId a, NodeId b)
    {
        var (ax, ay) = network.Coordinates(a);
        var (bx, by) = network.Coordinates(b);
        return Math.Sqrt(((ax - bx) * (ax - bx)) + ((ay - by) * (ay - by)));
    }

    /// <summary>The distance a route travels: the distances between consecutive route nodes, summed.</summary>
    public static double RouteDistance(NetworkModel network, LookupResult r)
    {
        var total = 0.0;
        for (var i = 1; i < r.Path.Count; i++)
        {
            total += Distance(network, r.Path[i - 1].Node, r.Path[i].Node);
        }

        return total;
    }

    /// <summary>The RTT of the route: RTTs summed hop by hop along the path.</summary>
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
