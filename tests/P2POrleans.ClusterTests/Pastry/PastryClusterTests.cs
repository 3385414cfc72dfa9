using System.Diagnostics;
using P2POrleans.Common;
using P2POrleans.Pastry;

namespace P2POrleans.ClusterTests.Pastry;

[Collection(SharedCluster.Name)]
public sealed class PastryClusterTests(ClusterFixture fixture)
{
    private IClusterClient Client => fixture.Client;

    [Fact]
    public async Task Joins_through_the_protocol_converge_to_a_correct_state()
    {
        var overlay = await PastryHarness.CreateAsync(Client, "pastry-join", new PastryParameters { Seed = 11, LeafSetSize = 8, NeighbourhoodSize = 16 });
        var joined = await overlay.Control.JoinHostsAsync(48);
        Assert.Equal(48, joined.Count);

        // Section 2.4: right after the joins, with no round run, leaf sets are exact and every
        // routing entry is live and in its slot.
        var report = await overlay.Control.CheckAsync();
        Assert.Equal(48, report.Peers);
        Assert.True(report.StateCorrect, report.ToString());
        Assert.True(report.Truth.RoutingEntries > 48, report.ToString());
        Assert.Equal(0, await overlay.WrongOwnersAsync(60, "join-key-"));

        // Rounds keep it correct (probing finds nothing to drop).
        await overlay.Registry.StepAsync(2);
        Assert.True((await overlay.Control.CheckAsync()).StateCorrect);
    }

    [Fact]
    public async Task Keys_survive_leaves_and_failures_of_up_to_k_minus_1_closest_peers_at_once()
    {
        var overlay = await PastryHarness.CreateAsync(Client, "pastry-keys", new PastryParameters { Seed = 3, LeafSetSize = 8, Replicas = 4 });
        await overlay.Control.JoinHostsAsync(32);
        var members = await overlay.MembersAsync();
        var keys = Enumerable.Range(0, 80).Select(i => $"key-{i}").ToList();
        foreach (var key in keys)
        {
            var put = await overlay.Peer(members[key.Length % members.Count]).PutAsync(key, "v:" + key);
            Assert.Equal(4, put.StoredAt.Count);
        }

        Assert.True((await overlay.Control.CheckAsync()).KeysInPlace);

        // k - 1 = 3 adjacent peers crash at once (each key they held has a 4th copy), a 4th leaves gracefully.
        await overlay.Peer(members[10]).FailAsync();
        await overlay.Peer(members[11]).FailAsync();
        await overlay.Peer(members[12]).FailAsync();
        await overlay.Peer(members[20]).LeaveAsync();
        var live = await overlay.MembersAsync();
        Assert.Equal(28, live.Count);

        // Before any repair, from any live peer, every key comes back.
        foreach (var key in keys)
        {
            Assert.Equal("v:" + key, (await overlay.Peer(live[key.GetHashCode() & 15]).GetAsync(key)).Value);
        }

        // After repair, state is exact and every key is on its k closest live peers again.
        var report = await overlay.RepairAsync(10);
        Assert.True(report.StateCorrect, report.ToString());
        Assert.Equal(keys.Count, report.DistinctKeys);
        Assert.Equal(keys.Count, report.KeysAtOwner);
        Assert.True(report.KeysInPlace, report.ToString());

        // A second wave of k - 1 crashes after repair: still nothing lost.
        foreach (var victim in live.Skip(3).Take(3))
        {
            await overlay.Peer(victim).FailAsync();
        }

        live = await overlay.MembersAsync();
        foreach (var key in keys)
        {
            Assert.Equal("v:" + key, (await overlay.Peer(live[^1]).GetAsync(key)).Value);
        }
    }

    [Theory]
    [InlineData(PastryMode.Iterative)]
    [InlineData(PastryMode.Recursive)]
    public async Task The_exported_trace_shows_as_many_hops_as_the_result(PastryMode mode)
    {
        var overlay = await PastryHarness.CreateAsync(Client, "pastry-trace-" + mode, new PastryParameters { Mode = mode, Seed = 9 });
        await overlay.Control.BuildConvergedAsync(300);
        var members = await overlay.MembersAsync();
        var live = new PastryIdIndex(members, overlay.Parameters);
        var space = overlay.Parameters.Space;
        var sawMultiHop = false;
        for (var i = 0; i < 12; i++)
        {
            using var parent = new Activity("test-lookup");
            parent.ActivityTraceFlags = ActivityTraceFlags.Recorded;
            parent.Start();
            var key = space.Hash("traced-" + i);
            var result = await overlay.Peer(members[i * 7]).LookupAsync(key, "traced-" + i);
            parent.Stop();
            Assert.True(result.Success);
            Assert.Equal(live.NumericallyClosest(key), result.Owner);
            Assert.Equal(result.Hops, result.Path.Count - 1);
            sawMultiHop |= result.Hops >= 2;

            var spans = await WaitForSpansAsync(parent.TraceId, result.Hops);
            var lookup = Assert.Single(spans, s => s.OperationName == "pastry.lookup");
            Assert.Equal(result.Hops, (int)lookup.GetTagItem("p2p.hops")!);
            Assert.Equal(space.Format(result.Owner), (string)lookup.GetTagItem("p2p.owner")!);
            var hops = spans.Where(s => s.OperationName == "pastry.hop").ToList();
            Assert.Equal(result.Hops, hops.Count);
            Assert.Equal(result.Path.Skip(1).Select(h => space.Format(h.Node)).Order(), hops.Select(h => (string)h.GetTagItem("p2p.hop.node")!).Order());
        }

        Assert.True(sawMultiHop);
        await overlay.Registry.DeleteAsync();
    }

    [Fact]
    public async Task Peers_are_not_collected_when_idle()
    {
        var overlay = await PastryHarness.CreateAsync(Client, "pastry-no-collection", new PastryParameters { Bits = 32, Seed = 2 });
        await overlay.Control.BuildConvergedAsync(20);
        await overlay.Peer((await overlay.MembersAsync())[0]).PutAsync("kept", "yes");

        await Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero, TestContext.Current.CancellationToken);

        var report = await overlay.Control.CheckAsync();
        Assert.Equal(20, report.Peers);
        Assert.True(report.StateCorrect);
        Assert.Equal("yes", (await overlay.Peer((await overlay.MembersAsync())[3]).GetAsync("kept")).Value);
    }

    private async Task<List<Activity>> WaitForSpansAsync(ActivityTraceId trace, int hops)
    {
        for (var i = 0; i < 100; i++)
        {
            var spans = fixture.SpansOf(trace);
            if (spans.Any(s => s.OperationName == "pastry.lookup") && spans.Count(s => s.OperationName == "pastry.hop") >= hops)
            {
                return spans;
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        return fixture.SpansOf(trace);
    }
}
