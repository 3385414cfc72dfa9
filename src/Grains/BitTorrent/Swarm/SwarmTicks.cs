using P2POrleans.Common;

namespace P2POrleans.BitTorrent.Swarm;

/// <summary>
/// One tick of simulated time for a swarm's driver (docs/bittorrent.md, "Simulated time and the
/// bandwidth model"): members due to arrive start one by one in creation order (tracker answers are
/// then reproducible), members that need peers re-announce in member order, every live member runs
/// its tick concurrently, then each receives what was sent to it in the tick (<see cref="SwarmPostbox"/>,
/// one call per receiver), to handle in its next tick. The census counts what the reports say.
/// </summary>
public sealed class SwarmTicks(IGrainFactory grains, string name)
{
    /// <summary>Member calls in flight at once during a tick.</summary>
    public const int Parallelism = 128;

    private const double ReplicationSampleSeconds = 10;

    private double _nextReplicationSample;

    private IOverlayRegistryGrain Registry => grains.GetGrain<IOverlayRegistryGrain>(name);

    /// <summary>The replication histogram is next sampled at simulated second <paramref name="seconds"/>.</summary>
    public void SampleReplicationFrom(double seconds) => _nextReplicationSample = seconds;

    /// <summary>Starts member <paramref name="m"/> at tick <paramref name="tick"/> (or its arrival, if later); a member whose silo does not answer is dead.</summary>
    public async Task StartMemberAsync(SwarmCensus census, SwarmMemberRecord m, SwarmParameters parameters, byte[] torrent, long tick)
    {
        var config = new SwarmPeerConfig(name, m.Peer, m.Behaviour, torrent, parameters, Math.Max(m.ArrivalTick, tick));
        m.Started = true;
        try
        {
            var report = await SwarmKeys.Member(grains, name, m.Peer).StartAsync(config);
            census.Started(m, report.Complete);
        }
        catch (Exception e) when (Unreachable.Is(e))
        {
            m.Dead = true;
        }
    }

    public async Task RunAsync(SwarmCensus census, SwarmParameters parameters, byte[] torrent, long tick)
    {
        foreach (var m in census.Members.Where(m => !m.Started && m.ArrivalTick <= tick).ToList())
        {
            await StartMemberAsync(census, m, parameters, torrent, tick);
        }

        // Re-announces, one at a time in member order, so the tracker's random answers are reproducible.
        foreach (var m in census.Members.Where(m => m.Active && m.NeedsPeers).ToList())
        {
            m.NeedsPeers = false;
            try
            {
                await SwarmKeys.Member(grains, name, m.Peer).ReannounceAsync(tick);
            }
            catch (Exception e) when (Unreachable.Is(e))
            {
                // found dead by the tick below
            }
        }

        var active = census.Members.Where(m => m.Active).ToList();
        var reports = new PeerTickReport?[active.Count];
        var dead = new bool[active.Count];
        await Concurrently.ForEachAsync(Enumerable.Range(0, active.Count), Parallelism, async i =>
        {
            try
            {
                reports[i] = await SwarmKeys.Member(grains, name, active[i].Peer).RunTickAsync(tick);
            }
            catch (Exception e) when (Unreachable.Is(e))
            {
                dead[i] = true; // its silo died: it came back empty (docs/bittorrent.md, "Failures")
            }
        });

        var now = tick * parameters.TickSeconds;
        for (var i = 0; i < active.Count; i++)
        {
            var m = active[i];
            if (dead[i])
            {
                census.Gone(m);
                m.Dead = true;
                try
                {
                    await Registry.RemoveMemberAsync(SwarmKeys.MemberId(m.Peer));
                }
                catch (Exception e) when (Unreachable.Is(e))
                {
                    // bookkeeping only
                }

                continue;
            }

            census.Apply(m, reports[i]!, now);
        }

        await DeliverAsync(census, active, reports);

        census.Sample(now);
        if (now >= _nextReplicationSample)
        {
            _nextReplicationSample = now + ReplicationSampleSeconds;
            var tag = new KeyValuePair<string, object?>("p2p.overlay", name);
            foreach (var r in census.Replication)
            {
                SwarmTelemetry.Replication.Record(r, tag);
            }
        }
    }

    /// <summary>
    /// The network: every batch sent in this tick goes to its receiver now, to be handled in its next
    /// tick — after every report is in, so a batch for a member that left or died in this tick goes back
    /// to its sender as unreachable. One call per receiver; between ticks nothing is in flight here.
    /// </summary>
    private async Task DeliverAsync(SwarmCensus census, List<SwarmMemberRecord> active, PeerTickReport?[] reports)
    {
        var postbox = new SwarmPostbox();
        foreach (var report in reports.OfType<PeerTickReport>())
        {
            postbox.Post(report.Outgoing, census.IsLive);
        }

        var deliveries = active.Where(m => m.Active).Select(m => (m.Peer, Input: postbox.Take(m.Peer))).Where(d => !ReferenceEquals(d.Input, SwarmDelivery.Empty)).ToList();
        await Concurrently.ForEachAsync(deliveries, Parallelism, async d =>
        {
            try
            {
                await SwarmKeys.Member(grains, name, d.Peer).DeliverAsync(d.Input);
            }
            catch (Exception e) when (Unreachable.Is(e))
            {
                // its silo died: found dead by the next tick, and its senders then learn it is unreachable
            }
        });
    }
}
