using P2POrleans.Common;
using P2POrleans.Kelips;

namespace P2POrleans.ClusterTests.Kelips;

[Collection(SharedCluster.Name)]
public sealed class KelipsClusterTests(ClusterFixture fixture)
{
    private IClusterClient Client => fixture.Client;

    [Fact]
    public async Task After_gossip_every_view_is_complete_and_every_lookup_takes_one_hop_to_a_contact_then_the_fetch()
    {
        var overlay = await KelipsHarness.CreateAsync(Client, "kelips-one-hop", new KelipsParameters { ExpectedPeers = 50, Seed = 11 });
        await overlay.Control.JoinHostsAsync(50);
        var (report, _) = await overlay.StepUntilAsync(KelipsHarness.ViewsAndContactsComplete, 120);
        Assert.True(KelipsHarness.ViewsAndContactsComplete(report), report.ToString());
        Assert.Equal(1.0, report.ViewCompleteness);

        await overlay.InsertAsync(30, seed: 1);
        (report, _) = await overlay.StepUntilAsync(KelipsHarness.Converged, 60);
        Assert.True(KelipsHarness.Converged(report), report.ToString());
        Assert.Equal(30, report.Files);

        // Constant background cost: at most fanout messages of bounded size per peer per round.
        Assert.InRange(report.GossipMessagesPerPeerPerRound, 0.5, overlay.Parameters.Fanout);
        Assert.True(report.GossipBytesPerPeerPerRound <= overlay.Parameters.Fanout * overlay.Parameters.ToOptions().MaxMessageBytes);

        var members = await overlay.MembersAsync();
        var remote = 0;
        foreach (var (file, home) in overlay.Homes)
        {
            foreach (var from in members.Take(12))
            {
                var result = await overlay.Peer(from).LookupAsync(file);
                Assert.True(result.Lookup.Success, result.Lookup.Error);
                Assert.Equal(home, result.Lookup.Owner);
                Assert.True(result.Fetched);
                Assert.Equal("content of " + file, result.Content);
                Assert.Equal(result.Lookup.Hops, result.Lookup.Path.Count - 1);
                if (overlay.Groups.Of(from) == overlay.Groups.OfFile(file))
                {
                    Assert.Equal(0, result.Lookup.Hops); // the own group's filetuples answer
                }
                else
                {
                    Assert.Equal(1, result.Lookup.Hops);
                    Assert.Equal("contact", result.Lookup.Path[1].Reason);
                    Assert.Equal(overlay.Groups.OfFile(file), overlay.Groups.Of(result.Lookup.Path[1].Node));
                    remote++;
                }
            }
        }

        Assert.True(remote > 100);
        await overlay.Registry.DeleteAsync();
    }

    [Fact]
    public async Task A_converged_build_is_complete_without_a_round_and_its_files_are_found_in_one_hop_after_gossip()
    {
        var overlay = await KelipsHarness.CreateAsync(Client, "kelips-converged", new KelipsParameters { ExpectedPeers = 80, Seed = 21 });
        var joined = await overlay.Control.BuildConvergedAsync(80);
        Assert.Equal(80, joined.Count);
        var report = await overlay.Control.CheckAsync();
        Assert.Equal(80, report.Peers);
        Assert.True(KelipsHarness.ViewsAndContactsComplete(report), report.ToString());
        Assert.Equal(0, report.StaleViewEntries);
        Assert.Equal(80, (await overlay.MembersAsync()).Count);

        // A second build adds peers to the same overlay: everybody's groups grew, still complete.
        Assert.Equal(20, (await overlay.Control.BuildConvergedAsync(20)).Count);
        report = await overlay.Control.CheckAsync();
        Assert.Equal(100, report.Peers);
        Assert.True(KelipsHarness.ViewsAndContactsComplete(report), report.ToString());

        // Files still travel by the protocol: inserted, then spread by gossip rounds.
        await overlay.InsertAsync(20, seed: 3);
        (report, _) = await overlay.StepUntilAsync(KelipsHarness.Converged, 60);
        Assert.True(KelipsHarness.Converged(report), report.ToString());
        var members = await overlay.MembersAsync();
        foreach (var (file, home) in overlay.Homes)
        {
            foreach (var from in members.Take(10))
            {
                var result = await overlay.Peer(from).LookupAsync(file);
                Assert.True(result.Lookup.Success, result.Lookup.Error);
                Assert.Equal(home, result.Lookup.Owner);
                Assert.Equal(overlay.Groups.Of(from) == overlay.Groups.OfFile(file) ? 0 : 1, result.Lookup.Hops);
            }
        }

        await overlay.Registry.DeleteAsync();
    }

    [Fact]
    public async Task With_ten_percent_of_peers_crashed_lookups_succeed_through_other_contacts_and_heal_after_gossip()
    {
        var overlay = await KelipsHarness.CreateAsync(Client, "kelips-crash",
            new KelipsParameters { ExpectedPeers = 60, MemberTimeoutRounds = 12, ContactTimeoutRounds = 24, Seed = 5 });
        await overlay.Control.JoinHostsAsync(60);
        Assert.True(KelipsHarness.ViewsAndContactsComplete((await overlay.StepUntilAsync(KelipsHarness.ViewsAndContactsComplete, 120)).Report));
        await overlay.InsertAsync(24, seed: 2);
        Assert.True(KelipsHarness.Converged((await overlay.StepUntilAsync(KelipsHarness.Converged, 60)).Report));

        var members = await overlay.MembersAsync();
        var random = new Random(8);
        var victims = members.Where(m => !overlay.Homes.ContainsValue(m)).OrderBy(_ => random.Next()).Take(6).ToHashSet();
        foreach (var v in victims)
        {
            await overlay.Peer(v).FailAsync();
        }

        var live = members.Where(m => !victims.Contains(m)).ToList();

        // Right away: dead contacts are skipped, the next contact (or a group mate's) answers. Not
        // always: near group mates keep the same near contacts, so all of them can be dead at once.
        var (found, _, dead) = await LookupAllAsync(overlay, live.Take(15));
        Assert.True(found >= overlay.Homes.Count * 15 * 95 / 100, $"{found} of {overlay.Homes.Count * 15} found right after the crashes");
        Assert.True(dead > 0, "some lookups met a crashed contact");

        // After rounds of gossip the dead time out and are replaced: one hop again, no dead contact asked.
        var (report, _) = await overlay.StepUntilAsync(r => KelipsHarness.Converged(r) && r.DeadContacts == 0, 80);
        Assert.True(KelipsHarness.Converged(report), report.ToString());
        Assert.Equal(0, report.DeadContacts);
        var (foundLater, oneHopLater, deadLater) = await LookupAllAsync(overlay, live.Take(15));
        Assert.Equal(overlay.Homes.Count * 15, foundLater);
        Assert.Equal(overlay.Homes.Count * 15, oneHopLater);
        Assert.Equal(0, deadLater);
        await overlay.Registry.DeleteAsync();
    }

    [Fact]
    public async Task The_exported_trace_shows_as_many_hops_as_the_result_also_around_a_dead_contact()
    {
        var overlay = await KelipsHarness.CreateAsync(Client, "kelips-trace", new KelipsParameters { ExpectedPeers = 36, Seed = 9 });
        await overlay.Control.JoinHostsAsync(36);
        Assert.True(KelipsHarness.ViewsAndContactsComplete((await overlay.StepUntilAsync(KelipsHarness.ViewsAndContactsComplete, 120)).Report));
        await overlay.InsertAsync(12, seed: 3);
        Assert.True(KelipsHarness.Converged((await overlay.StepUntilAsync(KelipsHarness.Converged, 60)).Report));

        var members = await overlay.MembersAsync();
        var (file, home) = overlay.Homes.First();
        var from = members.First(m => overlay.Groups.Of(m) != overlay.Groups.OfFile(file) && m != home);
        var contacts = (await overlay.Peer(from).GetStateAsync()).Contacts.Where(c => c.Group == overlay.Groups.OfFile(file)).ToList();
        var results = new List<KelipsLookupResult> { await TracedAsync(overlay, from, file) };
        if (contacts[0].Id != home && contacts.Count > 1)
        {
            await overlay.Peer(contacts[0].Id).FailAsync();
            results.Add(await TracedAsync(overlay, from, file));
            Assert.Equal(2, results[^1].Lookup.Hops);
            Assert.Equal(1, results[^1].Lookup.DeadHopsSkipped);

            // Two peers asked (messages), one hop of route: the dead contact is not on the path.
            Assert.Equal(1, results[^1].PathLength);
        }

        Assert.Equal(1, results[0].PathLength);

        foreach (var name in overlay.Homes.Keys.Skip(1))
        {
            results.Add(await TracedAsync(overlay, members[^1], name));
        }

        Assert.Contains(results, r => r.Lookup.Hops == 1);
        await overlay.Registry.DeleteAsync();
    }

    [Fact]
    public async Task A_graceful_leave_hands_the_files_to_a_group_mate_and_the_group_drops_the_leaver_at_once()
    {
        var overlay = await KelipsHarness.CreateAsync(Client, "kelips-leave", new KelipsParameters { ExpectedPeers = 30, Seed = 4 });
        await overlay.Control.JoinHostsAsync(30);
        Assert.True(KelipsHarness.ViewsAndContactsComplete((await overlay.StepUntilAsync(KelipsHarness.ViewsAndContactsComplete, 120)).Report));
        var members = await overlay.MembersAsync();
        var leaver = members[3];
        foreach (var i in Enumerable.Range(0, 6))
        {
            await overlay.Peer(leaver).InsertAsync($"leaving-{i}.txt", $"v{i}");
        }

        Assert.True(KelipsHarness.Converged((await overlay.StepUntilAsync(KelipsHarness.Converged, 60)).Report));
        await overlay.Peer(leaver).LeaveAsync();
        var report = await overlay.Control.CheckAsync();
        Assert.Equal(29, report.Peers);
        Assert.Equal(0, report.StaleViewEntries);
        Assert.Equal(6, report.Files); // adopted by the nearest group mate

        (report, _) = await overlay.StepUntilAsync(KelipsHarness.Converged, 60);
        Assert.True(KelipsHarness.Converged(report), report.ToString());

        // Barrier: the adopter's tuples (a new home node, hot news) replace the leaver's in every group.
        var initiator = overlay.Peer(members[^1]);
        for (var r = 0; r < 40; r++)
        {
            var fetched = 0;
            foreach (var i in Enumerable.Range(0, 6))
            {
                fetched += (await initiator.LookupAsync($"leaving-{i}.txt")).Fetched ? 1 : 0;
            }

            if (fetched == 6)
            {
                break;
            }

            await overlay.Registry.StepAsync(1);
        }

        foreach (var i in Enumerable.Range(0, 6))
        {
            var result = await overlay.Peer(members[^1]).LookupAsync($"leaving-{i}.txt");
            Assert.True(result.Fetched, result.Lookup.Error);
            Assert.Equal($"v{i}", result.Content);
            Assert.NotEqual(leaver, result.Lookup.Owner);
        }

        await overlay.Registry.DeleteAsync();
    }

    [Fact]
    public async Task A_deleted_file_is_no_longer_found_once_the_tombstone_has_spread()
    {
        var overlay = await KelipsHarness.CreateAsync(Client, "kelips-delete", new KelipsParameters { ExpectedPeers = 25, Seed = 6 });
        await overlay.Control.JoinHostsAsync(25);
        await overlay.InsertAsync(4, seed: 7);
        Assert.True(KelipsHarness.Converged((await overlay.StepUntilAsync(KelipsHarness.Converged, 150)).Report));
        var (file, home) = overlay.Homes.First();
        await overlay.Peer(home).DeleteAsync(file);
        var (report, _) = await overlay.StepUntilAsync(r => r.Files == 3 && KelipsHarness.Converged(r), 30);
        Assert.Equal(3, report.Files);
        await overlay.Registry.StepAsync(10);
        foreach (var from in (await overlay.MembersAsync()).Take(10))
        {
            Assert.False((await overlay.Peer(from).LookupAsync(file)).Lookup.Success);
        }

        await overlay.Registry.DeleteAsync();
    }

    [Fact]
    public async Task The_live_clock_converges_without_steps_and_peers_are_not_collected_when_idle()
    {
        var overlay = await KelipsHarness.CreateAsync(Client, "kelips-live", new KelipsParameters { ExpectedPeers = 16, Clock = ClockMode.Live, PeriodMs = 50, Seed = 2 });
        await overlay.Control.JoinHostsAsync(16);
        await overlay.InsertAsync(4, seed: 5);

        // Barrier: poll the ground truth until the timers have gossiped everything (bounded).
        var report = await overlay.Control.CheckAsync();
        for (var i = 0; i < 400 && !KelipsHarness.Converged(report); i++)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
            report = await overlay.Control.CheckAsync();
        }

        Assert.True(KelipsHarness.Converged(report), report.ToString());
        Assert.Equal(0, (await overlay.Registry.GetAsync())!.Round);
        await Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero, TestContext.Current.CancellationToken);
        Assert.Equal(16, (await overlay.Control.CheckAsync()).Peers);
        await overlay.Registry.DeleteAsync();
    }

    private static async Task<(int Found, int OneHopOrLocal, int Dead)> LookupAllAsync(KelipsHarness overlay, IEnumerable<NodeId> initiators)
    {
        int found = 0, oneHop = 0, dead = 0;
        foreach (var from in initiators)
        {
            foreach (var (file, home) in overlay.Homes)
            {
                var r = await overlay.Peer(from).LookupAsync(file);
                found += r.Lookup.Success && r.Lookup.Owner == home && r.Fetched ? 1 : 0;
                oneHop += r.Lookup.Hops <= 1 ? 1 : 0;
                dead += r.Lookup.DeadHopsSkipped;
            }
        }

        return (found, oneHop, dead);
    }

    private async Task<KelipsLookupResult> TracedAsync(KelipsHarness overlay, NodeId from, string file)
    {
        using var parent = new System.Diagnostics.Activity("test-lookup");
        parent.ActivityTraceFlags = System.Diagnostics.ActivityTraceFlags.Recorded;
        parent.Start();
        var result = await overlay.Peer(from).LookupAsync(file);
        parent.Stop();
        Assert.True(result.Lookup.Success);
        Assert.Equal(result.Lookup.Hops, result.Lookup.Path.Count - 1);

        var spans = await WaitForSpansAsync(parent.TraceId, result.Lookup.Hops, result.Fetched && result.Lookup.Owner != from);
        var lookup = Assert.Single(spans, s => s.OperationName == "kelips.lookup");
        Assert.Equal(result.Lookup.Hops, (int)lookup.GetTagItem("p2p.hops")!);
        Assert.Equal(overlay.Parameters.Space.Format(result.Lookup.Owner), (string)lookup.GetTagItem("p2p.owner")!);
        var hops = spans.Where(s => s.OperationName == "kelips.hop").ToList();
        Assert.Equal(result.Lookup.Hops, hops.Count);
        Assert.Equal(result.Lookup.Path.Skip(1).Select(h => overlay.Parameters.Space.Format(h.Node)).Order(), hops.Select(h => (string)h.GetTagItem("p2p.hop.node")!).Order());
        Assert.Equal(result.Lookup.DeadHopsSkipped, hops.Count(h => h.GetTagItem("p2p.hop.dead") is true));
        return result;
    }

    private async Task<List<System.Diagnostics.Activity>> WaitForSpansAsync(System.Diagnostics.ActivityTraceId trace, int hops, bool fetch)
    {
        for (var i = 0; i < 100; i++)
        {
            var spans = fixture.SpansOf(trace);
            if (spans.Any(s => s.OperationName == "kelips.lookup") && spans.Count(s => s.OperationName == "kelips.hop") >= hops
                && (!fetch || spans.Any(s => s.OperationName == "kelips.fetch")))
            {
                return spans;
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        return fixture.SpansOf(trace);
    }
}
