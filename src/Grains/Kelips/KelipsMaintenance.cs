using Microsoft.Extensions.Logging;
using P2POrleans.Common;
using P2POrleans.Kelips.Gossip;
using P2POrleans.Kelips.Replication;

namespace P2POrleans.Kelips;

/// <summary>
/// The messages a Kelips peer sends on its own (sections 2 and 2.1; docs/kelips.md): its rounds of
/// gossip, joins (and rejoins when isolated), filetuples published to a contact, and the backups of
/// its files (Replicas &gt; 1). The decisions come from the node's soft state and
/// <see cref="KelipsBackups"/>; every step re-checks that the node is still the peer's current one
/// after each await (the grain is reentrant: it may have failed or left meanwhile).
/// </summary>
public sealed class KelipsMaintenance
{
    private const string Name = KelipsParameters.Name;

    private readonly PeerCalls<IKelipsPeerGrain> _calls;
    private readonly Func<KelipsNode?> _current;
    private readonly ILogger _logger;

    /// <param name="calls">The peer's call policy.</param>
    /// <param name="current">The peer's node now (null once it failed, left or stopped).</param>
    /// <param name="logger">The peer grain's logger.</param>
    public KelipsMaintenance(PeerCalls<IKelipsPeerGrain> calls, Func<KelipsNode?> current, ILogger logger)
    {
        _calls = calls;
        _current = current;
        _logger = logger;
    }

    /// <summary>
    /// One round (section 2.1): rejoin if isolated, bump heartbeats, expire, and send this round's
    /// bounded gossip messages; a target that does not answer is reported unreachable.
    /// </summary>
    /// <returns>False when the node stopped being the peer's current one during the round (nothing more is done).</returns>
    public async Task<bool> RoundAsync(KelipsNode node, long round, string silo)
    {
        ArgumentNullException.ThrowIfNull(node);
        node.Round = round > node.Round ? round : node.Round + 1;
        node.Rounds++;
        if (node.ResumeFromRound is { } from)
        {
            Resume(node, from);

            // Its view, contacts and filetuples are as old as its last write (soft state is not
            // written, see KelipsPeerGrain.Marker): catch up through the join's state transfer (section 2)
            // with the nearest group mate, which also learns the new heartbeat at once.
            if (node.State.View.OthersByRtt().FirstOrDefault() is { } mate)
            {
                await JoinThroughAsync(node, mate.Id, adoptRound: false);
                if (_current() != node)
                {
                    return false;
                }
            }
        }

        if (node.State.RejoinTarget() is { } target)
        {
            await JoinThroughAsync(node, target, adoptRound: false);
            if (_current() != node)
            {
                return false;
            }
        }

        var sends = node.State.Step(node.Round);
        var bytes = sends.Sum(s => s.Bytes);
        node.LastRoundMessages = sends.Count;
        node.LastRoundBytes = bytes;
        node.GossipMessages += sends.Count;
        node.GossipBytes += bytes;
        foreach (var send in sends)
        {
            P2PTelemetry.CountMessage(Name, P2PTelemetry.MaintenanceKind, send.ToContact ? "gossip_contact" : "gossip");
        }

        await Task.WhenAll(sends.Select(s => _calls.TryAsync(s.Target, null, p => p.GossipAsync(s.Message))));
        if (_current() == node)
        {
            P2PTelemetry.StateEntries.Record(node.State.View.Count + node.State.Contacts.Count + node.State.FileTuples.Count,
                new KeyValuePair<string, object?>("p2p.protocol", Name));
        }

        await FailoverAsync(node);
        await ReplicateAsync(node, silo);
        return true;
    }

    /// <summary>
    /// The first round of a restored durable peer: rounds missed since its record was written (the
    /// registry's round when stepped; wall-clock periods when live) make its own and its hosted
    /// tuples' heartbeats jump past anything its mates saw, so its re-announcements win.
    /// </summary>
    private static void Resume(KelipsNode node, long fromRound)
    {
        var elapsed = node.Round - fromRound;
        if (node.Parameters.Clock == ClockMode.Live && node.ResumeFromUnixMs > 0)
        {
            var missed = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - node.ResumeFromUnixMs + node.Parameters.PeriodMs - 1) / Math.Max(1, node.Parameters.PeriodMs);
            if (missed > elapsed)
            {
                node.Round += missed - elapsed;
                elapsed = missed;
            }
        }

        node.ResumeFromRound = null;
        node.State.Resume(elapsed, node.Round);
    }

    /// <summary>
    /// Failover (Replicas &gt; 1): a backup whose home and earlier holders are gone from this peer's
    /// view (member timeout, section 2.1) is adopted through the leave path's adoption: this peer
    /// becomes the home node with a tuple above any the dead home published, then re-replicates.
    /// </summary>
    private async Task FailoverAsync(KelipsNode node)
    {
        foreach (var held in node.Backups.DueForAdoption(node.State.View.Contains))
        {
            var name = held.Copy.FileName;
            if (_current() != node || !node.Backups.Release(name))
            {
                continue;
            }

            node.Contents[name] = held.Copy.Content!;
            node.DurableVersion++;
            _logger.LogDebug("Kelips peer {Peer} adopts {File} of {Home}", node.Self, name, held.Copy.Home);
            await PublishAsync(node, name, () => node.State.Insert(name, node.Round, KelipsBackups.AdoptionHeartbeat(held, node.Round)));

            // The other holders drop the dead home's copy: this peer re-replicates right after
            // (<see cref="ReplicateAsync"/>), and a stale copy must not resurrect the file after a later delete.
            foreach (var other in held.Copy.Holders.Skip(1).Where(h => h != node.Self))
            {
                await PushBackupAsync(node, other, held.Copy with { Content = null });
            }
        }
    }

    /// <summary>
    /// Pushes the backups this home owes (<see cref="KelipsBackups.Plan"/>): only when a file's
    /// holders (its view, or the silos learnt) or its hosted files changed, never as periodic traffic.
    /// </summary>
    public async Task ReplicateAsync(KelipsNode node, string silo)
    {
        if (_current() != node || (node.Parameters.Replicas <= 1 && node.Backups.Pushed.Count == 0))
        {
            return;
        }

        var hosted = node.State.HostedFiles
            .Where(t => !t.Deleted && node.Contents.ContainsKey(t.FileName))
            .Select(t => (t, node.Contents[t.FileName]))
            .ToList();
        var mates = node.State.View.Entries.Select(e => e.Id).ToList();
        var pushes = node.Backups.Plan(silo, hosted, mates, node.State.View.OwnHeartbeat);
        await Concurrently.ForEachAsync(pushes, 16, async push =>
        {
            var reached = true;
            foreach (var target in push.Targets)
            {
                reached &= await PushBackupAsync(node, target, push.Copy);
            }

            foreach (var former in push.Dropped)
            {
                await PushBackupAsync(node, former, push.Copy with { Content = null });
            }

            if (reached && _current() == node)
            {
                node.Backups.MarkPushed(push.Copy.FileName, push.Targets);
                node.DurableVersion++;
            }
        });
    }

    /// <summary>One backup store (or drop); the holder's reply teaches this home its silo.</summary>
    private async Task<bool> PushBackupAsync(KelipsNode node, NodeId target, BackupCopy copy)
    {
        node.BackupMessages++;
        P2PTelemetry.CountMessage(Name, P2PTelemetry.MaintenanceKind, "backup");
        var stored = await _calls.CallAsync(target, null, p => p.StoreBackupsAsync([copy]));
        if (stored.Ok)
        {
            node.Backups.LearnSilo(target, stored.Value!);
        }

        return stored.Ok;
    }

    /// <summary>
    /// Join (section 2): ask a live peer, adopt its answer, then ask the group mates it named for the
    /// full group state. A bootstrap of another group names only its c contacts in the newcomer's
    /// group; when none of them answers (under churn they are often dead) the newcomer joins again
    /// through its nearest contacts, at most <see cref="KelipsOptions.JoinAttempts"/> bootstraps in
    /// all, until it meets its group: a newcomer left without a view gossips to nobody of its group
    /// and nobody there learns it. Returns whether the first peer answered (the call policy has
    /// dealt with it otherwise).
    /// </summary>
    public async Task<PeerCallResult> JoinThroughAsync(KelipsNode node, NodeId bootstrap, bool adoptRound)
    {
        ArgumentNullException.ThrowIfNull(node);
        var first = await JoinOnceAsync(node, bootstrap, adoptRound);
        var tried = new HashSet<NodeId> { bootstrap };
        for (var attempt = 1; attempt < node.State.Options.JoinAttempts && _current() == node; attempt++)
        {
            if (node.State.RejoinTarget(tried) is not { } next)
            {
                break;
            }

            tried.Add(next);
            await JoinOnceAsync(node, next, adoptRound: false);
        }

        return first;
    }

    private async Task<PeerCallResult> JoinOnceAsync(KelipsNode node, NodeId bootstrap, bool adoptRound)
    {
        var self = new MemberEntry(node.Self, node.State.View.OwnHeartbeat);
        var first = await _calls.CallAsync(bootstrap, "join", p => p.AcceptJoinAsync(self));
        if (!first.Ok || _current() != node)
        {
            return first.WithoutValue();
        }

        var snapshot = first.Value!;
        if (adoptRound && snapshot.Round > node.Round)
        {
            // Live clocks: the newcomer takes its bootstrap's round, so what it learns ages alike.
            node.Round = snapshot.Round;
        }

        node.State.ApplyJoin(snapshot, node.Round);
        // The group mates the bootstrap named, nearest first, until one answers (a dead one is
        // forgotten by the call policy): under churn the nearest is often dead.
        foreach (var mate in KelipsJoin.GroupBootstraps(node.State, snapshot))
        {
            var full = await _calls.CallAsync(mate, "join", p => p.AcceptJoinAsync(self));
            if (_current() != node)
            {
                break;
            }

            if (full.Ok)
            {
                node.State.ApplyJoin(full.Value!, node.Round);
                break;
            }
        }

        return first.WithoutValue();
    }

    /// <summary>
    /// Sends a new filetuple (insert, delete, adoption) to a contact of the file's group; when that
    /// contact is dead, to the next one. Returns the contact reached, or null (own group, or no
    /// contact yet: then the tuple spreads through the home node's later gossip).
    /// </summary>
    public async Task<NodeId?> PublishAsync(KelipsNode node, string fileName, Func<IReadOnlyList<GossipSend>> publish)
    {
        var sends = publish();
        if (sends.Count == 0)
        {
            return null;
        }

        var message = sends[0].Message;
        var target = sends[0].Target;
        var group = node.State.Groups.OfFile(fileName);
        for (var attempt = 0; attempt <= node.Parameters.Contacts + 1 && _current() == node; attempt++)
        {
            // Not a round's gossip: counted apart, so the per-round figures stay the paper's constant.
            node.PublishMessages++;
            P2PTelemetry.CountMessage(Name, P2PTelemetry.MaintenanceKind, "publish");
            if (await _calls.TryAsync(target, null, p => p.GossipAsync(message)))
            {
                return target;
            }

            if (_current() != node || node.State.Contacts.InGroup(group).FirstOrDefault() is not { } next)
            {
                return null;
            }

            target = next.Id;
        }

        return null;
    }
}
