using P2POrleans.Common;

namespace P2POrleans.Kelips;

/// <summary>
/// Whole-overlay operations of a Kelips overlay (bulk joins, converged build, ground-truth check). It reads the
/// registry's membership and calls peers; it never takes part in lookups or gossip.
/// </summary>
[Orleans.Concurrency.Reentrant]
public sealed class KelipsOverlayGrain : StructuredOverlayGrain<KelipsParameters, IKelipsPeerGrain>, IKelipsOverlayGrain
{
    private const int JoinAttempts = 4;

    protected override string Protocol => KelipsParameters.Name;

    /// <summary>Simulated hosts "10.a.b.c:port"; a peer's id is the SHA-1 of its address in the id space (Kelips section 2).</summary>
    protected override IEnumerable<(string Address, NodeId Id)> Hosts(KelipsParameters parameters, int firstHost, int hosts) =>
        SimulatedHosts.Addresses(parameters.Space, parameters.Seed, SimulatedHosts.PastryKelipsBasePort, firstHost, hosts);

    /// <summary>Every member's converged view and contacts at the registry's round (<see cref="KelipsIdealState"/>).</summary>
    protected override async Task<Func<NodeId, string?, Task>> ConvergedInstallerAsync(KelipsParameters parameters, IReadOnlyCollection<NodeId> members)
    {
        var round = (await Registry.GetAsync())?.Round ?? 0;
        var ideal = new KelipsIdealState(members, parameters);
        return (id, address) => Peer(id).InstallAsync(new KelipsJoinRequest(parameters, address ?? "", null, round), ideal.StateOf(id, round));
    }

    public async Task<KelipsCheckReport> CheckAsync()
    {
        var parameters = await RequireAsync();
        var members = await Registry.GetMembersAsync();
        var groups = new AffinityGroups(parameters.GroupCount);
        var live = members.ToHashSet();
        var groupOf = members.ToDictionary(m => m, groups.Of);
        var membersByGroup = members.GroupBy(m => groupOf[m]).ToDictionary(g => g.Key, g => (IReadOnlyList<NodeId>)[.. g]);

        // Ground truth: the live files are those the live members are home node for.
        var hosted = await OverlayGrains.GatherAsync(members, Parallelism, id => Peer(id).GetHostedFilesAsync());
        var files = hosted.Values.SelectMany(f => f).Distinct(StringComparer.Ordinal).ToList();
        var filesByGroup = files.GroupBy(groups.OfFile).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g]);

        // Files of a group with no live member are checked at no peer: counted apart (section 2).
        var unindexed = KelipsGroundTruth.UnindexedFiles(groups, files, members).Count;

        var checks = await OverlayGrains.GatherAsync(members, Parallelism, id => Peer(id).CheckAsync(membersByGroup[groupOf[id]], filesByGroup.GetValueOrDefault(groupOf[id], [])));
        if (checks.Count == 0)
        {
            return new KelipsCheckReport(0, parameters.GroupCount, files.Count, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, [], unindexed);
        }

        long contactGroupsCovered = 0, contactGroupsExpected = 0;
        int deadContacts = 0, totalContacts = 0;
        foreach (var check in checks.Values)
        {
            var liveGroups = check.Contacts.Where(live.Contains).Select(c => groupOf[c]).ToHashSet();
            contactGroupsCovered += liveGroups.Count;
            contactGroupsExpected += membersByGroup.Keys.Count(g => g != check.Group);
            deadContacts += check.Contacts.Count(c => !live.Contains(c));
            totalContacts += check.Contacts.Count;
        }

        var summaries = checks.Values
            .GroupBy(c => c.Group)
            .OrderBy(g => g.Key)
            .Select(g => new KelipsGroupSummary(
                g.Key,
                membersByGroup[g.Key].Count,
                filesByGroup.GetValueOrDefault(g.Key, []).Count,
                g.Average(c => c.ViewCompleteness),
                g.Count(c => c.ViewCompleteness >= 1.0 && c.StaleViewEntries == 0),
                g.Average(c => c.FileTupleCoverage),
                g.Average(c => c.Counters.ViewEntries)))
            .ToList();
        var rounds = checks.Values.Sum(c => c.Counters.Rounds);
        return new KelipsCheckReport(
            checks.Count,
            parameters.GroupCount,
            files.Count,
            checks.Values.Average(c => c.ViewCompleteness),
            checks.Values.Count(c => c.ViewCompleteness >= 1.0 && c.StaleViewEntries == 0),
            checks.Values.Sum(c => c.StaleViewEntries),
            contactGroupsExpected == 0 ? 1.0 : (double)contactGroupsCovered / contactGroupsExpected,
            deadContacts,
            totalContacts,
            checks.Values.Average(c => c.FileTupleCoverage),
            checks.Values.Average(c => (double)c.Counters.StateBytes),
            rounds == 0 ? 0 : checks.Values.Sum(c => (double)c.Counters.GossipBytes) / rounds,
            rounds == 0 ? 0 : checks.Values.Sum(c => (double)c.Counters.GossipMessages) / rounds,
            summaries,
            unindexed);
    }

    /// <summary>Joins through a live peer the registry picks; a pick that turns out dead is dropped and another tried.</summary>
    protected override async Task JoinOneAsync(KelipsParameters parameters, NodeId id, string address)
    {
        for (var attempt = 1; ; attempt++)
        {
            var info = await Registry.GetAsync();
            var bootstrap = await Registry.PickMemberAsync();
            try
            {
                await Peer(id).JoinAsync(new KelipsJoinRequest(parameters, address, bootstrap, info?.Round ?? 0));
                return;
            }
            catch (PeerUnreachableException) when (bootstrap is { } gone && attempt < JoinAttempts)
            {
                // The bootstrap answered that it is not a member (failed or left): forget it.
                await Registry.RemoveMemberAsync(gone);
            }
            catch (Exception e) when ((e is P2PException || Unreachable.Is(e)) && bootstrap is not null && attempt < JoinAttempts)
            {
                // It did not answer in time, or its silo is unreachable: perhaps a live peer on a slow
                // or restarting silo, so it stays a member; the next attempt picks another.
            }
        }
    }
}
