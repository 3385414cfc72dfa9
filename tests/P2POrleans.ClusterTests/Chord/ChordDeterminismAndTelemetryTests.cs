using System.Diagnostics.Metrics;
using P2POrleans.Chord;
using P2POrleans.Common;

namespace P2POrleans.ClusterTests.Chord;

[Collection(SharedCluster.Name)]
public sealed class ChordDeterminismAndTelemetryTests(ClusterFixture fixture)
{
    [Fact]
    public async Task The_stepped_clock_is_deterministic_for_a_seed()
    {
        async Task<IReadOnlyList<ChordPeerState>> RunAsync(string name)
        {
            var ring = await ChordHarness.CreateAsync(fixture.Client, name, new ChordParameters { Bits = 20, Successors = 3, Seed = 99 });
            await ring.Control.JoinHostsAsync(25);
            await ring.Registry.StepAsync(3);
            await ring.Control.JoinHostsAsync(5);
            await ring.Peer((await ring.MembersAsync())[2]).FailAsync();
            await ring.Registry.StepAsync(4);
            return await ring.Control.RingAsync();
        }

        var a = await RunAsync("determinism-a");
        var b = await RunAsync("determinism-b");

        // Same ids, same pointers, same fingers and the same message counts, peer by peer.
        Assert.Equal(a.Count, b.Count);
        foreach (var (x, y) in a.Zip(b))
        {
            Assert.Equal(x.Id, y.Id);
            Assert.Equal(x.Predecessor, y.Predecessor);
            Assert.Equal(x.Successors, y.Successors);
            Assert.Equal(x.Fingers, y.Fingers);
            Assert.Equal(x.MaintenanceMessages, y.MaintenanceMessages);
        }
    }

    [Fact]
    public async Task Lookups_record_hop_and_latency_histograms_and_message_counters()
    {
        var hops = new List<int>();
        var lookupMessages = 0L;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == P2PTelemetry.Name)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "p2p.lookup.hops" && Tag(tags, "p2p.protocol") == "chord")
            {
                lock (hops)
                {
                    hops.Add(value);
                }
            }
        });
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "p2p.messages" && Tag(tags, "p2p.kind") == "lookup")
            {
                Interlocked.Add(ref lookupMessages, value);
            }
        });
        listener.Start();

        var ring = await ChordHarness.CreateAsync(fixture.Client, "metrics", new ChordParameters { Seed = 31 });
        await ring.Control.BuildConvergedAsync(100);
        var members = await ring.MembersAsync();
        var results = new List<LookupResult>();
        for (var i = 0; i < 20; i++)
        {
            results.Add(await ring.Peer(members[i]).LookupAsync(IdSpace.Sha1.Hash("m" + i), null));
        }

        listener.RecordObservableInstruments();
        lock (hops)
        {
            // Other tests run lookups in parallel: ours are a sub-multiset of what was recorded.
            foreach (var group in results.GroupBy(r => r.Hops))
            {
                Assert.True(hops.Count(h => h == group.Key) >= group.Count());
            }
        }

        Assert.True(Interlocked.Read(ref lookupMessages) >= results.Sum(r => r.Messages));
    }

    [Fact]
    public async Task The_demo_runs_end_to_end()
    {
        var outcome = await CliRunner.RunAsync(fixture.Client, "demo", "--peers", "16");
        Assert.True(outcome.ExitCode == 0, outcome.Error);
        Assert.Contains("Chord", outcome.Out, StringComparison.Ordinal);
        Assert.Contains("40/40 keys readable", outcome.Out, StringComparison.Ordinal);
        Assert.Contains("successors 100.0%", outcome.Out, StringComparison.Ordinal);

        // The churn part: 10% of the 16 peers (2) replaced each round, three copies re-replicated
        // each round, so no key can lose all its copies in one round: none is lost (docs/chord.md).
        var churn = System.Text.RegularExpressions.Regex.Match(outcome.Out, @"After \d+ quiet rounds: (\d+) of 100 keys found, (\d+) lost");
        Assert.True(churn.Success, outcome.Out);
        Assert.Equal("100", churn.Groups[1].Value);
        Assert.Equal("0", churn.Groups[2].Value);
    }

    [Fact]
    public async Task Demo_only_runs_the_scenes_it_names_in_the_tour_order()
    {
        var outcome = await CliRunner.RunAsync(fixture.Client, "demo", "--only", "pastry,chord", "--peers", "8");
        Assert.True(outcome.ExitCode == 0, outcome.Error);
        var chord = outcome.Out.IndexOf("Chord (Stoica", StringComparison.Ordinal);
        var pastry = outcome.Out.IndexOf("Pastry (Rowstron", StringComparison.Ordinal);
        Assert.True(chord >= 0 && pastry > chord, outcome.Out);
        Assert.DoesNotContain("Kelips (Gupta", outcome.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("Churn", outcome.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("BitTorrent (Cohen", outcome.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("No single point of failure", outcome.Out, StringComparison.Ordinal);
    }

    private static string? Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string key)
    {
        foreach (var t in tags)
        {
            if (t.Key == key)
            {
                return t.Value as string;
            }
        }

        return null;
    }
}
