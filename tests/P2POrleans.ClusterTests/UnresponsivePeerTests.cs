using System.Diagnostics;
using P2POrleans.Chord;
using P2POrleans.ClusterTests.Chord;
using P2POrleans.ClusterTests.Kelips;
using P2POrleans.ClusterTests.Pastry;
using P2POrleans.Common;
using P2POrleans.Kelips;
using P2POrleans.Pastry;

namespace P2POrleans.ClusterTests;

/// <summary>
/// A peer whose silo does not answer is a dead hop for the operation at once, in every structured
/// overlay (the call policy's per-call timeout), routed around as a crashed peer is; a volatile
/// overlay forgets it, a durable one keeps it (it comes back with its state). Without the timeout
/// each of these lookups would wait for Orleans' response timeout (5 minutes).
/// </summary>
[Collection(UnresponsiveSiloCluster.Name)]
public sealed class UnresponsivePeerTests(UnresponsiveSiloClusterFixture fixture)
{
    /// <summary>A bound on each lookup, so a regression fails instead of hanging (not a timing assertion).</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    private IClusterClient Client => fixture.Client;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Chord_lookups_route_around_the_peers_of_a_silo_that_does_not_answer(bool durable)
    {
        // Eight successors: with a third of the peers silent, some peer would otherwise find its whole
        // list silent (4 in a row: about one peer in 80) and route as if alone.
        var ring = await ChordHarness.CreateAsync(Client, $"hung-chord-{durable}", new ChordParameters { Successors = 8, Replicas = 1, Durable = durable, Seed = 31 });
        await ring.Control.BuildConvergedAsync(45);
        var members = await ring.MembersAsync();
        var hostOf = await SiloKill.HostsAsync(Client, members, ring.Peer);
        var victim = SiloKill.PickVictim(fixture.Cluster, hostOf, spare: await ring.Registry.GetHostAsync());
        var frozen = SiloKill.PeersOn(hostOf, victim);
        var ideal = new IdealRing(IdSpace.Sha1, members);
        var live = new IdealRing(IdSpace.Sha1, members.Where(m => !frozen.Contains(m)));

        // F does not answer; its predecessor P, on a live silo, has it as its successor.
        var f = members.First(m => frozen.Contains(m) && !frozen.Contains(ideal.Predecessor(m)));
        var p = ideal.Predecessor(f);
        var keys = Enumerable.Range(0, 12).Select(i => IdSpace.Sha1.Hash($"hung-{i}")).ToList();
        using (UnresponsiveSiloClusterFixture.Freeze(victim.SiloAddress))
        {
            // F's own id: P's step names F the owner, F does not answer, its successor is the live owner.
            var own = await ring.Peer(p).LookupAsync(f, null).WaitAsync(Bound);
            Assert.True(own.Success, own.Error);
            Assert.Equal(live.Successor(f), own.Owner);

            // Volatile: P forgot F. Durable: P keeps F, which would come back on another silo with its state.
            var successors = (await ring.Peer(p).GetStateAsync()).Successors;
            Assert.Equal(durable, successors.Contains(f));

            for (var i = 0; i < keys.Count; i++)
            {
                var result = await ring.Peer(live.Ids[(i * 7) % live.Count]).LookupAsync(keys[i], null).WaitAsync(Bound);
                Assert.True(result.Success, result.Error);
                Assert.Equal(live.Successor(keys[i]), result.Owner);
            }
        }

        // Answering again, the forgotten peers are learnt back through stabilization.
        Assert.True(ChordHarness.Converged(await ring.StabilizeAsync(30, fingersToo: false), fingersToo: false));
        await ring.Registry.DeleteAsync();
    }

    [Fact]
    public async Task Pastry_lookups_route_around_the_peers_of_a_silo_that_does_not_answer()
    {
        var parameters = new PastryParameters { Seed = 17 };
        var overlay = await PastryHarness.CreateAsync(Client, "hung-pastry", parameters);
        await overlay.Control.BuildConvergedAsync(45);
        var members = await overlay.MembersAsync();
        var hostOf = await SiloKill.HostsAsync(Client, members, overlay.Peer);
        var victim = SiloKill.PickVictim(fixture.Cluster, hostOf, spare: await overlay.Registry.GetHostAsync());
        var frozen = SiloKill.PeersOn(hostOf, victim);
        var live = members.Where(m => !frozen.Contains(m)).ToList();
        var index = new PastryIdIndex(live, parameters);
        var deadHops = 0;
        using (UnresponsiveSiloClusterFixture.Freeze(victim.SiloAddress))
        {
            for (var i = 0; i < 12; i++)
            {
                // Half the keys are frozen peers' own ids: their root does not answer.
                var key = i % 2 == 0 ? frozen.ElementAt(i % frozen.Count) : parameters.Space.Hash($"hung-{i}");
                var result = await overlay.Peer(live[(i * 7) % live.Count]).LookupAsync(key, null).WaitAsync(Bound);
                Assert.True(result.Success, result.Error);
                Assert.Equal(index.NumericallyClosest(key), result.Owner);
                deadHops += result.DeadHopsSkipped;
            }
        }

        Assert.True(deadHops > 0, "the routes met peers of the silo that did not answer");
        await overlay.Registry.DeleteAsync();
    }

    [Fact]
    public async Task Kelips_lookups_go_to_other_contacts_when_one_does_not_answer()
    {
        var parameters = new KelipsParameters { ExpectedPeers = 36, Seed = 13 };
        var overlay = await KelipsHarness.CreateAsync(Client, "hung-kelips", parameters);
        await overlay.Control.JoinHostsAsync(36);
        Assert.True(KelipsHarness.ViewsAndContactsComplete((await overlay.StepUntilAsync(KelipsHarness.ViewsAndContactsComplete, 120)).Report));
        await overlay.InsertAsync(12, seed: 3);
        Assert.True(KelipsHarness.Converged((await overlay.StepUntilAsync(KelipsHarness.Converged, 60)).Report));

        var members = await overlay.MembersAsync();
        var hostOf = await SiloKill.HostsAsync(Client, members, overlay.Peer);
        var victim = SiloKill.PickVictim(fixture.Cluster, hostOf, spare: await overlay.Registry.GetHostAsync());
        var frozen = SiloKill.PeersOn(hostOf, victim);
        var live = members.Where(m => !frozen.Contains(m)).ToList();
        var files = overlay.Homes.Where(h => !frozen.Contains(h.Value)).Select(h => h.Key).ToList();
        int asked = 0, found = 0, deadHops = 0, routedAround = 0;
        var unexplained = new List<string>();
        using (UnresponsiveSiloClusterFixture.Freeze(victim.SiloAddress))
        {
            foreach (var from in live.Take(6))
            {
                foreach (var file in files)
                {
                    var result = await overlay.Peer(from).LookupAsync(file).WaitAsync(Bound);
                    asked++;
                    found += result.Fetched ? 1 : 0;
                    deadHops += result.Lookup.DeadHopsSkipped;
                    routedAround += result.Fetched && result.Lookup.DeadHopsSkipped > 0 ? 1 : 0;
                    if (!result.Fetched && WhyNotFound(overlay, from, result, frozen, live) is { } why)
                    {
                        unexplained.Add($"{parameters.Space.Short(from)} '{file}': {why}");
                    }
                }
            }
        }

        // Which peers end up frozen is random (peers are placed on silos at random): now and then the frozen
        // silo holds every contact of some group that these initiators and their group mates know, and each
        // lookup of that group's files from them fails however the protocol routes (seen: 12 of 48, in 1 run
        // of 20). So each miss is checked against what the protocol could have done, not counted against a bar.
        TestContext.Current.TestOutputHelper?.WriteLine($"{found} of {asked} found ({routedAround} after a dead hop), {deadHops} dead hops, {unexplained.Count} misses not explained by the frozen silo");
        Assert.True(deadHops > 0, "lookups met contacts that did not answer");
        Assert.True(routedAround > 0, $"no lookup found its file after a contact did not answer ({found} of {asked} found)");
        Assert.True(unexplained.Count == 0, $"{unexplained.Count} of {asked - found} misses ({found} of {asked} found) had a live way to the file:\n" + string.Join("\n", unexplained));
        await overlay.Registry.DeleteAsync();
    }

    /// <summary>
    /// Why a Kelips lookup that did not fetch its file (whose home answers) is not explained by the frozen
    /// silo alone, or null when it is (section 2.2: the initiator asks its contacts in the file's group, then
    /// every group mate in its view for theirs, MaxFallbackMembers being unbounded here): the lookup found
    /// no tuple, asked every live group mate, each of which answered, and every peer of the file's group it
    /// asked was frozen. A live peer counted dead, or a live peer of the file's group asked, is a real miss.
    /// </summary>
    private static string? WhyNotFound(KelipsHarness overlay, NodeId from, KelipsLookupResult result, IReadOnlySet<NodeId> frozen, IReadOnlyList<NodeId> live)
    {
        var space = overlay.Parameters.Space;
        if (result.Lookup.Success)
        {
            return $"home {space.Short(result.Lookup.Owner)} found but not fetched";
        }

        var hops = result.Lookup.Path.Skip(1).ToList();
        var path = string.Join(", ", hops.Select(h => $"{space.Short(h.Node)} ({(frozen.Contains(h.Node) ? "frozen" : "live")}) as {h.Reason}"));
        var liveDead = hops.Where(h => !frozen.Contains(h.Node) && h.Reason.EndsWith("(dead)", StringComparison.Ordinal)).ToList();
        if (liveDead.Count > 0)
        {
            return $"live peer(s) {string.Join(", ", liveDead.Select(h => space.Short(h.Node)))} counted dead; path: {path}";
        }

        var liveOfGroup = hops.Where(h => h.Reason.StartsWith("contact", StringComparison.Ordinal) && !frozen.Contains(h.Node)).ToList();
        if (liveOfGroup.Count > 0)
        {
            return $"live peer(s) of the file's group {string.Join(", ", liveOfGroup.Select(h => space.Short(h.Node)))} asked without the tuple; path: {path}";
        }

        var mates = live.Where(m => m != from && overlay.Groups.Of(m) == overlay.Groups.Of(from)).ToHashSet();
        var askedMates = hops.Where(h => h.Reason == "group mate").Select(h => h.Node).ToHashSet();
        return mates.IsSubsetOf(askedMates) ? null
            : $"live group mate(s) {string.Join(", ", mates.Except(askedMates).Select(space.Short))} not asked; error: {result.Lookup.Error}; path: {path}";
    }

    [Fact]
    public async Task A_kelips_join_through_a_bootstrap_that_does_not_answer_fails_without_calling_it_gone()
    {
        var parameters = new KelipsParameters { ExpectedPeers = 12, Seed = 19 };
        var overlay = await KelipsHarness.CreateAsync(Client, "hung-kelips-join", parameters);
        await overlay.Control.JoinHostsAsync(12);
        var members = await overlay.MembersAsync();
        var hostOf = await SiloKill.HostsAsync(Client, members, overlay.Peer);
        var victim = SiloKill.PickVictim(fixture.Cluster, hostOf, spare: await overlay.Registry.GetHostAsync());
        var silent = SiloKill.PeersOn(hostOf, victim).First();
        var management = Client.GetGrain<IManagementGrain>(0);

        // Newcomers activated on a silo that answers (a newcomer's own silo is not under test).
        var newcomers = new List<NodeId>();
        for (var i = 0; newcomers.Count < 2; i++)
        {
            var id = parameters.Space.Hash($"newcomer-{i}");
            if (members.Contains(id))
            {
                continue;
            }

            await Assert.ThrowsAsync<PeerUnreachableException>(() => overlay.Peer(id).GetStateAsync());
            if (!victim.SiloAddress.Equals(await management.GetActivationAddress(overlay.Peer(id))))
            {
                newcomers.Add(id);
            }
        }

        using (UnresponsiveSiloClusterFixture.Freeze(victim.SiloAddress))
        {
            // A live bootstrap that does not answer in time: the join fails, but not with "not a member",
            // which is what makes the overlay's join driver forget a bootstrap.
            var slow = await Assert.ThrowsAnyAsync<Exception>(() =>
                overlay.Peer(newcomers[0]).JoinAsync(new KelipsJoinRequest(parameters, "10.9.9.1:4000", silent, 0)).WaitAsync(Bound));
            Assert.IsNotType<PeerUnreachableException>(slow);
            Assert.Contains("did not answer", slow.Message, StringComparison.Ordinal);
        }

        // A bootstrap that answers "not a member" (the second newcomer never joined) is reported gone.
        var gone = await Assert.ThrowsAsync<PeerUnreachableException>(() =>
            overlay.Peer(newcomers[0]).JoinAsync(new KelipsJoinRequest(parameters, "10.9.9.1:4000", newcomers[1], 0)).WaitAsync(Bound));
        Assert.Contains("not a member", gone.Message, StringComparison.Ordinal);

        // The silent bootstrap is still a member, and a newcomer joins through it once it answers.
        Assert.Contains(silent, await overlay.MembersAsync());
        await overlay.Peer(newcomers[0]).JoinAsync(new KelipsJoinRequest(parameters, "10.9.9.1:4000", silent, 0)).WaitAsync(Bound);
        Assert.Contains(newcomers[0], await overlay.MembersAsync());
        await overlay.Registry.DeleteAsync();
    }

    [Fact]
    public async Task Right_after_a_silo_is_killed_chord_lookups_route_around_its_peers()
    {
        var ring = await ChordHarness.CreateAsync(Client, "killed-chord", new ChordParameters { Successors = 8, Replicas = 1, Seed = 37 });
        await ring.Control.BuildConvergedAsync(45);
        var members = await ring.MembersAsync();
        var hostOf = await SiloKill.HostsAsync(Client, members, ring.Peer);
        var victim = SiloKill.PickVictim(fixture.Cluster, hostOf, spare: await ring.Registry.GetHostAsync());
        var lost = SiloKill.PeersOn(hostOf, victim);
        var live = new IdealRing(IdSpace.Sha1, members.Where(m => !lost.Contains(m)));
        var silos = fixture.Cluster.GetActiveSilos().Count();

        // No membership barrier: the lookups start while the silo is not yet declared dead.
        var sinceKill = Stopwatch.StartNew();
        await fixture.Cluster.KillSiloAsync(victim);
        var killed = sinceKill.Elapsed;
        var lookups = new List<(TimeSpan At, TimeSpan Took, int Dead)>();
        for (var i = 0; i < 12; i++)
        {
            var key = IdSpace.Sha1.Hash($"killed-{i}");
            var at = sinceKill.Elapsed;
            var result = await ring.Peer(live.Ids[(i * 5) % live.Count]).LookupAsync(key, null).WaitAsync(Bound);
            lookups.Add((at, sinceKill.Elapsed - at, result.DeadHopsSkipped));
            Assert.True(result.Success, result.Error);
            Assert.Equal(live.Successor(key), result.Owner);
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"kill took {killed.TotalMilliseconds:0} ms; lookups (start ms after kill, took ms, dead hops): "
            + string.Join(", ", lookups.Select(l => $"({l.At.TotalMilliseconds:0}, {l.Took.TotalMilliseconds:0}, {l.Dead})")));

        // Give the next tests of this cluster three silos again.
        await SiloKill.WaitForActiveSilosAsync(fixture.Cluster, silos - 1);
        await fixture.Cluster.StartAdditionalSiloAsync();
        await SiloKill.WaitForActiveSilosAsync(fixture.Cluster, silos);
        await ring.Registry.DeleteAsync();
    }
}
