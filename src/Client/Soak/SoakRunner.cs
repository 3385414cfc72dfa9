using System.Diagnostics;
using P2POrleans.Client.Structured;
using P2POrleans.Common;

namespace P2POrleans.Client.Soak;

/// <summary>
/// The churn soak: store keys, then each round crash some peers, join new ones, advance
/// the clock one round (or wait one period on the live clock) and read random keys from random live
/// peers; finally let the overlay settle without churn and read every key once. Bounded in rounds
/// and wall time; the random choices come from the seed.
/// </summary>
public sealed class SoakRunner(IClusterClient client, IStructuredAdapter target, string overlay, OverlayParameters parameters, SoakOptions options)
{
    private const int MinLivePeers = 2;

    public async Task<SoakReport> RunAsync(Action<double, string> progress, CancellationToken cancellationToken)
    {
        var registry = client.GetGrain<IOverlayRegistryGrain>(overlay);
        var live = (await registry.GetMembersAsync()).ToList();
        if (live.Count < MinLivePeers)
        {
            throw new CliException($"overlay '{overlay}' has {live.Count} peers; a soak needs at least {MinLivePeers} (join some first)");
        }

        var random = new Random(unchecked((int)options.Seed));
        var peersAtStart = live.Count;
        var wall = Stopwatch.StartNew();
        var deadline = TimeSpan.FromMinutes(options.Minutes);

        progress(0, $"storing {options.Keys} keys");
        var keys = Enumerable.Range(0, options.Keys).Select(i => ($"soak-{options.Seed}-{i}", $"value-{i}")).ToList();
        foreach (var (key, value) in keys)
        {
            await target.PutAsync(client, overlay, live[random.Next(live.Count)], key, value);
        }

        var latencies = new List<double>();
        var wallLatencies = new List<double>();
        int lookups = 0, found = 0, hops = 0, joined = 0, failed = 0, rounds = 0;
        var stoppedByTime = false;
        while (rounds < options.Rounds)
        {
            if (wall.Elapsed >= deadline)
            {
                stoppedByTime = true;
                break;
            }

            cancellationToken.ThrowIfCancellationRequested();
            rounds++;
            progress(rounds / (double)(options.Rounds + options.SettleRounds), $"round {rounds}: {live.Count} peers");

            // Both rates apply to the peers live when the round starts, so "10%" and "10%" replace a tenth.
            var liveAtStart = live.Count;
            var crash = Math.Min(options.FailRate.For(liveAtStart), liveAtStart - MinLivePeers);
            for (var i = 0; i < crash; i++)
            {
                var victim = live[random.Next(live.Count)];
                live.Remove(victim);
                await target.FailAsync(client, overlay, victim);
                failed++;
            }

            var arrivals = options.JoinRate.For(liveAtStart);
            if (arrivals > 0)
            {
                var added = await target.JoinAsync(client, overlay, arrivals);
                live.AddRange(added);
                joined += added.Count;
            }

            await AdvanceAsync(registry, 1, cancellationToken);
            for (var i = 0; i < options.LookupRate; i++)
            {
                var (key, value) = keys[random.Next(keys.Count)];
                var sw = Stopwatch.StartNew();
                var read = await ReadAsync(live[random.Next(live.Count)], key);
                wallLatencies.Add(sw.Elapsed.TotalMilliseconds);
                lookups++;
                if (read is { } r && r.Value == value)
                {
                    found++;
                    hops += r.Hops;
                    latencies.Add(r.LatencyMs);
                }
            }
        }

        progress(rounds / (double)(rounds + options.SettleRounds), $"settling {options.SettleRounds} rounds");
        await AdvanceAsync(registry, options.SettleRounds, cancellationToken);

        // Every key once; a miss is asked again from two other peers before it counts as lost.
        var lost = 0;
        foreach (var (key, value) in keys)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var ok = false;
            for (var attempt = 0; attempt < 3 && !ok; attempt++)
            {
                ok = (await ReadAsync(live[random.Next(live.Count)], key))?.Value == value;
            }

            lost += ok ? 0 : 1;
        }

        progress(1, "done");
        return new SoakReport(overlay, target.Protocol, rounds, stoppedByTime, wall.Elapsed.TotalSeconds, peersAtStart, live.Count, joined, failed,
            lookups, lookups == 0 ? 1 : found / (double)lookups,
            Percentile.NearestRank(latencies, 50), Percentile.NearestRank(latencies, 90), Percentile.NearestRank(latencies, 99),
            Percentile.NearestRank(wallLatencies, 50), Percentile.NearestRank(wallLatencies, 99),
            found == 0 ? 0 : hops / (double)found,
            options.SettleRounds, keys.Count, lost, keys.Count == 0 ? 1 : 1 - (lost / (double)keys.Count));
    }

    private async Task<SoakRead?> ReadAsync(NodeId from, string key)
    {
        try
        {
            return await target.GetAsync(client, overlay, from, key);
        }
        catch (Exception e) when (e is P2PException or PeerUnreachableException or TimeoutException)
        {
            return null; // a failed lookup is what the soak measures
        }
    }

    private async Task AdvanceAsync(IOverlayRegistryGrain registry, int rounds, CancellationToken cancellationToken)
    {
        if (rounds == 0)
        {
            return;
        }

        if (parameters.Clock == ClockMode.Stepped)
        {
            await registry.StepAsync(rounds);
        }
        else
        {
            // Live clock: the peers' own timers run; a round is one period.
            await Task.Delay(TimeSpan.FromMilliseconds((long)parameters.PeriodMs * rounds), cancellationToken);
        }
    }
}
