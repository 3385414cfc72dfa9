using P2POrleans.Chord;
using P2POrleans.Common;

namespace P2POrleans.ClusterTests.Chord;

[Collection(SharedCluster.Name)]
public sealed class ChordClusterTests(ClusterFixture fixture)
{
    private IClusterClient Client => fixture.Client;

    [Fact]
    public async Task Joins_through_the_protocol_converge_to_the_ideal_ring()
    {
        var ring = await ChordHarness.CreateAsync(Client, "join-converge", new ChordParameters { Bits = 32, Successors = 4, Replicas = 3, Seed = 11 });
        await ring.Control.JoinHostsAsync(40);

        // Eager join updates make successors right at once; lists and fingers need rounds.
        var before = await ring.Control.CheckAsync();
        Assert.Equal(40, before.Peers);
        Assert.Equal(1.0, before.SuccessorsCorrect);

        var report = await ring.StabilizeAsync(maxRounds: 40);
        Assert.True(ChordHarness.Converged(report, fingersToo: true), $"not converged: {report}");
    }

    [Fact]
    public async Task Real_joins_and_the_converged_build_end_in_the_same_state()
    {
        var parameters = new ChordParameters { Bits = 24, Successors = 5, Replicas = 2, Seed = 5 };
        var joined = await ChordHarness.CreateAsync(Client, "same-state-joined", parameters);
        var converged = await ChordHarness.CreateAsync(Client, "same-state-converged", parameters);
        await joined.Control.JoinHostsAsync(30);
        await converged.Control.BuildConvergedAsync(30);

        Assert.True(ChordHarness.Converged(await joined.StabilizeAsync(60), fingersToo: true));
        var a = await joined.Control.RingAsync();
        var b = await converged.Control.RingAsync();
        Assert.Equal(a.Select(p => p.Id), b.Select(p => p.Id));
        foreach (var (x, y) in a.Zip(b))
        {
            Assert.Equal(x.Predecessor, y.Predecessor);
            Assert.Equal(x.Successors, y.Successors);
            Assert.Equal(x.Fingers, y.Fingers);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_new_host_whose_id_is_already_a_members_is_skipped_not_joined_twice(bool converged)
    {
        // A 4-bit ring has 16 ids and an id is the hash of the host's address (Chord section 4.2): the
        // second batch of six hosts hashes onto members of the first. The joined build used to stop with
        // "already a member" there.
        var parameters = new ChordParameters { Bits = 4, Successors = 2, Replicas = 1, Seed = 7 };
        var ring = await ChordHarness.CreateAsync(Client, "collide-" + converged, parameters);
        Task<IReadOnlyList<NodeId>> AddAsync(int hosts) => converged ? ring.Control.BuildConvergedAsync(hosts) : ring.Control.JoinHostsAsync(hosts);

        var first = await AddAsync(6);
        var second = await AddAsync(6);

        var firstIds = ChordHosts.Addresses(parameters, 0, 6).Select(a => a.Id).ToList();
        var secondHosts = ChordHosts.Addresses(parameters, 6, 6).Select(a => a.Id).ToList();
        Assert.Contains(secondHosts, firstIds.Contains); // the case this test is about
        Assert.Equal(firstIds, first);
        Assert.Equal(secondHosts.Where(id => !firstIds.Contains(id)), second);
        Assert.Equal(first.Concat(second).Order(), (await ring.MembersAsync()).Order());

        var report = await ring.StabilizeAsync(maxRounds: 40);
        Assert.Equal(first.Count + second.Count, report.Peers);
        Assert.True(ChordHarness.Converged(report, fingersToo: true), $"not converged: {report}");
    }

    [Fact]
    public async Task Keys_survive_leaves_and_failures_of_fewer_than_the_replicas()
    {
        var ring = await ChordHarness.CreateAsync(Client, "keys-survive", new ChordParameters { Bits = 160, Successors = 6, Replicas = 3, Seed = 3 });
        await ring.Control.JoinHostsAsync(30);
        Assert.True(ChordHarness.Converged(await ring.StabilizeAsync(60), fingersToo: false));

        var members = await ring.MembersAsync();
        var keys = Enumerable.Range(0, 100).Select(i => $"key-{i}").ToList();
        foreach (var key in keys)
        {
            var put = await ring.Peer(members[key.Length % members.Count]).PutAsync(key, "v:" + key);
            Assert.Equal(3, put.StoredAt.Count);
        }

        // Two adjacent peers crash at once (replicas - 1), a third leaves gracefully.
        await ring.Peer(members[4]).FailAsync();
        await ring.Peer(members[5]).FailAsync();
        await ring.Peer(members[12]).LeaveAsync();
        var live = await ring.MembersAsync();
        Assert.Equal(27, live.Count);

        // Before any repair, from any live peer, every key comes back (from an owner or a replica).
        foreach (var key in keys)
        {
            var got = await ring.Peer(live[key.GetHashCode() & 15]).GetAsync(key);
            Assert.Equal("v:" + key, got.Value);
        }

        // After stabilization the ring is right and every key has its full replica set again.
        var report = await ring.StabilizeAsync(60, fingersToo: false);
        Assert.True(report.RingCorrect);
        Assert.Equal(keys.Count, report.DistinctKeys);
        Assert.Equal(keys.Count, report.KeysAtOwner);
        Assert.Equal(report.ReplicaCopiesExpected, report.ReplicaCopiesPresent);
        foreach (var key in keys)
        {
            Assert.Equal("v:" + key, (await ring.Peer(live[^1]).GetAsync(key)).Value);
        }
    }

    [Theory]
    [InlineData(ChordMode.Iterative)]
    [InlineData(ChordMode.Recursive)]
    public async Task The_exported_trace_shows_as_many_hops_as_the_result(ChordMode mode)
    {
        var ring = await ChordHarness.CreateAsync(Client, "trace-" + mode, new ChordParameters { Bits = 160, Mode = mode, Seed = 9 });
        await ring.Control.BuildConvergedAsync(200);
        var members = await ring.MembersAsync();
        var space = IdSpace.Sha1;
        var sawMultiHop = false;
        for (var i = 0; i < 12; i++)
        {
            using var parent = new System.Diagnostics.Activity("test-lookup");
            parent.ActivityTraceFlags = System.Diagnostics.ActivityTraceFlags.Recorded;
            parent.Start();
            var result = await ring.Peer(members[i * 7]).LookupAsync(space.Hash("traced-" + i), "traced-" + i);
            parent.Stop();
            Assert.True(result.Success);
            Assert.Equal(result.Hops, result.Path.Count - 1);
            sawMultiHop |= result.Hops >= 2;

            var spans = await WaitForSpansAsync(parent.TraceId, result.Hops);
            var lookup = Assert.Single(spans, s => s.OperationName == "chord.lookup");
            Assert.Equal(result.Hops, (int)lookup.GetTagItem("p2p.hops")!);
            Assert.Equal(space.Format(result.Owner), (string)lookup.GetTagItem("p2p.owner")!);
            var hops = spans.Where(s => s.OperationName == "chord.hop").ToList();
            Assert.Equal(result.Hops, hops.Count);
            Assert.Equal(result.Path.Skip(1).Select(h => space.Format(h.Node)).Order(), hops.Select(h => (string)h.GetTagItem("p2p.hop.node")!).Order());
        }

        Assert.True(sawMultiHop);
    }

    [Fact]
    public async Task Peers_are_not_collected_when_idle()
    {
        var ring = await ChordHarness.CreateAsync(Client, "no-collection", new ChordParameters { Bits = 32, Seed = 2 });
        await ring.Control.BuildConvergedAsync(20);
        await ring.Peer((await ring.MembersAsync())[0]).PutAsync("kept", "yes");

        var management = Client.GetGrain<IManagementGrain>(0);
        await management.ForceActivationCollection(TimeSpan.Zero, TestContext.Current.CancellationToken);

        var report = await ring.Control.CheckAsync();
        Assert.Equal(20, report.Peers);
        Assert.True(report.RingCorrect);
        Assert.Equal("yes", (await ring.Peer((await ring.MembersAsync())[3]).GetAsync("kept")).Value);
    }

    [Fact]
    public async Task The_live_clock_stabilizes_without_steps()
    {
        var ring = await ChordHarness.CreateAsync(Client, "live-clock", new ChordParameters { Bits = 32, Successors = 3, Clock = ClockMode.Live, PeriodMs = 50, Seed = 4 });
        await ring.Control.JoinHostsAsync(12);

        // Barrier: poll the ground truth until the timers have repaired lists and fingers (bounded).
        ChordCheckReport report = await ring.Control.CheckAsync();
        for (var i = 0; i < 400 && !ChordHarness.Converged(report, fingersToo: true); i++)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
            report = await ring.Control.CheckAsync();
        }

        Assert.True(ChordHarness.Converged(report, fingersToo: true), report.ToString());
        Assert.Equal(0, (await ring.Registry.GetAsync())!.Round);
        await ring.Registry.DeleteAsync();
    }

    private async Task<List<System.Diagnostics.Activity>> WaitForSpansAsync(System.Diagnostics.ActivityTraceId trace, int hops)
    {
        // Spans are exported when they end; the lookup span ends before the grain call returns.
        for (var i = 0; i < 100; i++)
        {
            var spans = fixture.SpansOf(trace);
            if (spans.Any(s => s.OperationName == "chord.lookup") && spans.Count(s => s.OperationName == "chord.hop") >= hops)
            {
                return spans;
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        return fixture.SpansOf(trace);
    }
}
