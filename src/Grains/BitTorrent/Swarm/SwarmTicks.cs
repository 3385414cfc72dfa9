using P2POrleans.Common;

namespace P2POrleans.BitTorrent.Swarm;

/// <summary>
/// One tick of simulated time for a swarm's driver (docs/bittorrent.md, "Simulated time and the
/// bandwidth model"): members due to arrive start one by one in creation order (tracker answers are
/// then reproducible), members that need peers re-announce in member order, every live member runs
/// its tick concurrently, then each receives what was sent to it in the tick (<see cref="SwarmPostbox"/>),
/// to handle in its next tick: carried by that next tick's call, so one call per member and tick, or
/// in a delivery call of its own when it must be handled at once (a peer it could not reach) or when
/// the driver stops stepping (<see cref="FlushAsync"/>), so nothing waits at the driver between steps.
/// The census counts what the reports say.
/// </summary>
public sealed class SwarmTicks(IGrainFactory grains, string name)
{
    /// <summary>Member calls in flight at once during a tick.</summary>
    public const int Parallelism = 128;

    private const double ReplicationSampleSeconds = 10;

    private double _nextReplicationSample;

    /// <summary>What each member is to get with its next tick.</summary>
    private readonly Dictionary<PeerId, SwarmDelivery> _pending = [];

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
        var delivered = active.Select(m => _pending.Remove(m.Peer, out var d) ? d : SwarmDelivery.Empty).ToList();
        _pending.Clear(); // only live members were delivered to, and every one of them ticks now
        var reports = new PeerTickReport?[active.Count];
        var dead = new bool[active.Count];
        await Concurrently.ForEachAsync(Enumerable.Range(0, active.Count), Parallelism, async i =>
        {
            try
            {
                reports[i] = await SwarmKeys.Member(grains, name, active[i].Peer).RunTickAsync(tick, delivered[i]);
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

    /// <summary>Hands every member what still waits for its next tick, in a call of its own (the driver stops stepping).</summary>
    public async Task FlushAsync()
    {
        var deliveries = _pending.Select(p => (p.Key, p.Value)).ToList();
        _pending.Clear();
        await DeliverNowAsync(deliveries);
    }

    /// <summary>
    /// The network: every batch sent in this tick goes to its receiver, to be handled in its next tick —
    /// after every report is in, so a batch for a member that left or died in this tick goes back to its
    /// sender as unreachable. A receiver gets its batches with its next tick's call; one that must drop a
    /// connection gets them now, so it forgets the peer before anything else happens to it (a re-announce).
    /// </summary>
    private async Task DeliverAsync(SwarmCensus census, List<SwarmMemberRecord> active, PeerTickReport?[] reports)
    {
        var postbox = new SwarmPostbox();
        foreach (var report in reports.OfType<PeerTickReport>())
        {
            postbox.Post(report.Outgoing, census.IsLive);
        }

        var now = new List<(PeerId Peer, SwarmDelivery Input)>();
        foreach (var m in active.Where(m => m.Active))
        {
            var input = postbox.Take(m.Peer);
            if (input.Unreachable.Count > 0)
            {
                now.Add((m.Peer, input));
            }
            else if (!ReferenceEquals(input, SwarmDelivery.Empty))
            {
                _pending[m.Peer] = input;
            }
        }

        await DeliverNowAsync(now);
    }

    private async Task DeliverNowAsync(List<(PeerId Peer, SwarmDelivery Input)> deliveries)
    {
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
