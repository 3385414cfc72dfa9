using P2POrleans.Client.Structured;
using P2POrleans.Common;
using P2POrleans.Kelips;

namespace P2POrleans.Client.Experiments;

/// <summary>Building Kelips overlays, inserting files and gossiping until converged, for the Kelips experiments.</summary>
public static class KelipsExperimentSupport
{
    public static IKelipsPeerGrain Peer(ExperimentContext context, string overlay, NodeId id) => KelipsAdapter.Peer(context.Client, overlay, id);

    /// <summary>Creates the overlay and joins n peers one by one (each through a peer the registry picks).</summary>
    public static async Task<string> BuildAsync(ExperimentContext context, string experiment, KelipsParameters parameters, int n)
    {
        var overlay = context.NewOverlayName(experiment);
        await context.Client.GetGrain<IOverlayRegistryGrain>(overlay).CreateAsync(parameters);
        await KelipsAdapter.Instance.JoinAsync(context.Client, overlay, n);
        return overlay;
    }

    /// <summary>Inserts the files, each at a home node drawn from the seed (one at a time: the same seed gives the same state).</summary>
    public static async Task<Dictionary<string, NodeId>> InsertAsync(ExperimentContext context, string overlay, IReadOnlyList<NodeId> members, IReadOnlyList<string> files, string stream)
    {
        var random = SeededRandom.Create(context.Seed, stream);
        var homes = new Dictionary<string, NodeId>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var home = members[random.Next(members.Count)];
            homes[file] = home;
            await Peer(context, overlay, home).InsertAsync(file, "x");
        }

        return homes;
    }

    /// <summary>
    /// Gossip rounds until every view holds its whole group, every peer has a live contact in every
    /// foreign group and every filetuple reached its group (or maxRounds); checks every checkEvery rounds.
    /// </summary>
    public static Task<(KelipsCheckReport Report, int Rounds, bool Done)> ConvergeAsync(ExperimentContext context, string overlay, int maxRounds, int checkEvery) =>
        KelipsStepping.StepUntilAsync(context.Client, overlay, Done, maxRounds, checkEvery, context.CancellationToken);

    public static bool Done(KelipsCheckReport report) => report.Converged && report.ContactCoverage >= 1.0;

    public static Task DeleteAsync(ExperimentContext context, string overlay) =>
        context.Client.GetGrain<IOverlayRegistryGrain>(overlay).DeleteAsync();
}
