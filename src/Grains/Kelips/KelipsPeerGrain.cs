using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P2POrleans.Common;

namespace P2POrleans.Kelips;

/// <summary>
/// A Kelips peer. The soft state, gossip content, merge rules and lookup plans come from
/// <see cref="KelipsPeer"/>; this grain sends what it decides and executes its plans, through the
/// shared call policy (<see cref="PeerCalls{TPeer}"/>). Reentrant (docs/kelips.md): gossip and
/// lookups reach a peer while it awaits its own calls, so every method re-reads the state after each await.
/// </summary>
[Orleans.Concurrency.Reentrant]
[CollectionAgeLimit(AlwaysActive = true)]
[Orleans.Placement.RandomPlacement] // peers spread over the silos, so a silo crash takes a random subset of every group
public sealed class KelipsPeerGrain : PeerGrain<KelipsNode, KelipsPeerRecord, long, IKelipsPeerGrain>, IKelipsPeerGrain
{
    private const string Name = KelipsParameters.Name;

    public KelipsPeerGrain(ILogger<KelipsPeerGrain> logger, Orleans.Serialization.Serializer serializer, [PersistentState("kelips", P2PStorage.Name)] IPersistentState<StoredBlob> stored, IOptions<PeerCallOptions> callOptions, TimeProvider time)
        : base(Name, logger, serializer, stored, callOptions, time)
    {
    }

    // --- membership -------------------------------------------------------------------

    public async Task<KelipsPeerState> JoinAsync(KelipsJoinRequest request)
    {
        if (Current is not null)
        {
            throw new P2PException($"peer {request.Parameters.Space.Format(Self)} is already a member of '{Overlay}'");
        }

        var node = new KelipsNode(request.Parameters, Self, request.Address, request.Round);
        Current = node;
        try
        {
            if (request.Bootstrap is { } bootstrap && bootstrap != Self)
            {
                var joined = await JoinThroughAsync(node, bootstrap, adoptRound: true);
                if (!joined.Ok)
                {
                    // The driver takes this for a dead bootstrap and tries another.
                    throw new PeerUnreachableException($"join failed: the bootstrap {request.Parameters.Space.Format(bootstrap)} did not answer ({Unreachable.Describe(joined.Fault, Calls.Timeout)})");
                }
            }
        }
        catch
        {
            Current = null;
            throw;
        }

        await Registry.AddMemberAsync(Self);
        StartMembership(node);
        node.DurableVersion++;
        await PersistAsync(node);
        return node.Snapshot(Silo);
    }

    public async Task LeaveAsync()
    {
        var node = Node;

        // Graceful leave (not in the paper, which only has crashes): the nearest live group mate
        // adopts the files stored here (it becomes their home node), and the group is told at once
        // instead of waiting for the member timeout.
        var files = node.Peer.HostedFiles
            .Where(t => !t.Deleted && node.Contents.ContainsKey(t.FileName))
            .Select(t => new HostedFile(t.FileName, node.Contents[t.FileName], t.Heartbeat))
            .ToList();
        var mates = node.Peer.View.OthersByRtt().Select(e => e.Id).ToList();
        var backupsPushed = node.Backups.Pushed.ToList();
        Stop();
        await ForgetStoredAsync(node);

        // The mate that adopts the files re-replicates them; the old holders drop their copies, so
        // they do not adopt them a second time when this peer leaves their views.
        await Concurrently.ForEachAsync(backupsPushed.SelectMany(p => p.Value.Select(h => (Holder: h, File: p.Key))), 16,
            d => Calls.TryAsync(d.Holder, null, p => p.StoreBackupsAsync([new BackupCopy(d.File, null, 0, [Self])])));
        if (files.Count > 0)
        {
            foreach (var mate in mates)
            {
                if (await Calls.TryAsync(mate, null, p => p.AdoptFilesAsync(files)))
                {
                    break;
                }
            }
        }

        await Concurrently.ForEachAsync(mates, 16, mate => Calls.TryAsync(mate, null, p => p.DepartedAsync(Self)));
        await Registry.RemoveMemberAsync(Self);
        Logger.LogDebug("Kelips peer {Peer} left {Overlay}", Self, Overlay);
    }

    // --- messages ----------------------------------------------------------------------

    public Task<JoinSnapshot> AcceptJoinAsync(MemberEntry newcomer)
    {
        var node = Node;
        return Task.FromResult(node.Peer.AcceptJoin(newcomer, node.Round));
    }

    public Task GossipAsync(GossipMessage message)
    {
        var node = Node;
        node.Peer.Receive(message, node.Round);
        return Task.CompletedTask;
    }

    public Task<FileTuple?> QueryAsync(string fileName) => Task.FromResult(Node.Peer.AnswerLookup(fileName));

    public Task<IReadOnlyList<NodeId>> ContactsForAsync(int group) => Task.FromResult(Node.Peer.ContactsFor(group));

    public Task<string?> FetchAsync(string fileName)
    {
        var node = Node;
        return Task.FromResult(node.Peer.Hosts(fileName) ? node.Contents.GetValueOrDefault(fileName) : null);
    }

    public async Task AdoptFilesAsync(IReadOnlyList<HostedFile> files)
    {
        var node = Node;
        foreach (var file in files)
        {
            if (Current != node)
            {
                return;
            }

            node.Contents[file.FileName] = file.Content;
            node.Backups.Release(file.FileName);
            node.DurableVersion++;
            await PublishAsync(node, file.FileName, () => node.Peer.Insert(file.FileName, node.Round, file.Heartbeat));
        }

        await PersistAsync(node);
    }

    public Task DepartedAsync(NodeId peer)
    {
        var node = Node;
        node.Peer.ReportUnreachable(peer, node.Round);
        return Task.CompletedTask;
    }

    public async Task<string> StoreBackupsAsync(IReadOnlyList<BackupCopy> copies)
    {
        var node = Node;
        foreach (var copy in copies)
        {
            if (copy.Content is not null && copy.Home != Self)
            {
                // The home is alive (it just sent this): it belongs in the view, or the holder would
                // adopt from a home it merely had not heard of yet.
                node.Peer.Learn(new MemberEntry(copy.Home, copy.HomeHeartbeat), node.Round);
            }

            if (node.Backups.Store(copy, node.Round))
            {
                node.DurableVersion++;
            }
        }

        await PersistAsync(node);
        return Silo;
    }

    // --- client operations -------------------------------------------------------------

    public async Task<KelipsInsertResult> InsertAsync(string fileName, string content)
    {
        var node = Node;
        CheckFileName(fileName);
        node.Contents[fileName] = content ?? "";
        node.Backups.ContentChanged(fileName);
        node.DurableVersion++;
        var sentTo = await PublishAsync(node, fileName, () => node.Peer.Insert(fileName, node.Round));
        await ReplicateAsync(node);
        await PersistAsync(node);
        return new KelipsInsertResult(fileName, Self, node.Peer.Groups.OfFile(fileName), sentTo, false);
    }

    public async Task<KelipsInsertResult> DeleteAsync(string fileName)
    {
        var node = Node;
        CheckFileName(fileName);
        if (!node.Peer.Hosts(fileName))
        {
            throw new P2PException($"peer {node.Parameters.Space.Format(Self)} is not the home node of '{fileName}' (delete from the peer that inserted it)");
        }

        node.Contents.Remove(fileName);
        node.DurableVersion++;
        var sentTo = await PublishAsync(node, fileName, () => node.Peer.Delete(fileName, node.Round));
        await ReplicateAsync(node);
        await PersistAsync(node);
        return new KelipsInsertResult(fileName, Self, node.Peer.Groups.OfFile(fileName), sentTo, true);
    }

    /// <summary>
    /// Lookup (section 2.2): the file's group; own group -> local filetuples; else ask the contacts
    /// there, nearest first (one hop each); if none answers, ask the nearest group mates for their
    /// contacts there. Then fetch the file from the home node the tuple names. Every peer asked is a
    /// message of the result (Lookup.Hops and Messages, in Path) and a "kelips.hop" span; the route
    /// to the answer is PathLength; the fetch is a "kelips.fetch" span.
    /// </summary>
    public async Task<KelipsLookupResult> LookupAsync(string fileName)
    {
        var node = Node;
        CheckFileName(fileName);
        var space = node.Parameters.Space;
        using var activity = P2PTelemetry.StartLookup(Name, Overlay, fileName, space.Format(Self));
        var plan = node.Peer.PlanLookup(fileName);
        activity?.SetTag("kelips.group", plan.FileGroup);
        var keyId = space.Hash(fileName);
        var walk = new LookupWalk(Name, keyId, Self);
        var path = walk.Path;
        var tried = new HashSet<NodeId> { Self };
        FileTuple? answer = null;

        // The route to the answer (section 2.2's hops): 0 local, 1 through an own contact, 2 through
        // a group mate's contact. Dead peers and contacts without the tuple are messages, not route.
        var route = 0;

        // What each peer asked answered, for the error of a failed lookup: which groups were
        // reached and what they said is what tells a stale filetuple from a missing contact.
        // Recorded raw and formatted only when the lookup fails (lookups are the hot path).
        var answers = new List<(NodeId Peer, string Reason, string Answer, IReadOnlyList<NodeId>? Contacts)>();
        var groupAsked = 0;

        // One remote step: the peer is a hop whether it answers, knows nothing, or is dead.
        async Task<(bool Ok, T? Value)> AskAsync<T>(NodeId peer, string reason, Func<IKelipsPeerGrain, Task<T>> call)
        {
            var rtt = node.Network.Rtt(Self, peer);
            path.Add(new Hop(peer, rtt, reason));
            var asked = await walk.AskAsync(peer, space.Format(peer), path.Count - 1, rtt,
                () => Calls.CallAsync(peer, reason == "group mate" ? "contacts_for" : "query", call, walk.Kind));
            if (!asked.Ok)
            {
                path[^1] = path[^1] with { Reason = reason + " (dead)" };
                var what = Unreachable.Describe(asked.Fault, Calls.Timeout);
                answers.Add((peer, reason, asked.Forgotten ? what + ", dropped" : what, null));
            }

            return (asked.Ok, asked.Value);
        }

        async Task<FileTuple?> QueryContactAsync(NodeId contact, string reason)
        {
            if (!tried.Add(contact))
            {
                return null;
            }

            groupAsked++;
            var (ok, tuple) = await AskAsync(contact, reason, p => p.QueryAsync(fileName));
            if (ok)
            {
                answers.Add((contact, reason, tuple is null ? "no tuple" : "tuple", null));
            }

            return tuple;
        }

        if (plan.IsLocal)
        {
            answer = plan.LocalAnswer;
        }
        else
        {
            foreach (var contact in plan.Contacts)
            {
                if ((answer = await QueryContactAsync(contact, "contact")) is not null)
                {
                    route = 1;
                    break;
                }
            }

            // The plan names the nearest group mates; a dead one (e.g. of a crashed silo, not yet
            // gossiped out of the view) does not use up the budget: the next nearest is asked instead,
            // until MaxFallbackMembers mates have answered.
            var mates = plan.FallbackMembers.Concat(node.Peer.View.OthersByRtt().Select(e => e.Id)).ToList();
            var answered = 0;
            foreach (var mate in mates)
            {
                if (answer is not null || answered >= node.Peer.Options.MaxFallbackMembers)
                {
                    break;
                }

                if (!tried.Add(mate))
                {
                    continue;
                }

                var (ok, theirs) = await AskAsync(mate, "group mate", p => p.ContactsForAsync(plan.FileGroup));
                answered += ok ? 1 : 0;
                if (ok)
                {
                    answers.Add((mate, "group mate", "contacts", theirs));
                }

                foreach (var contact in ok ? theirs! : [])
                {
                    if ((answer = await QueryContactAsync(contact, "contact of group mate")) is not null)
                    {
                        route = 2;
                        break;
                    }
                }
            }
        }

        var success = answer is not null;
        var error = success ? null
            : plan.IsLocal ? $"'{fileName}' is not in the filetuples of its group {plan.FileGroup} (this peer's own)"
            : plan.CanRoute ? LookupFailure(node, plan.FileGroup, fileName, groupAsked, walk.DeadSkipped, walk.Messages, answers)
            : $"no contact in group {plan.FileGroup} and no group mate to ask";
        var owner = answer?.HomeNode ?? NodeId.Zero;
        var result = success ? walk.Succeed(owner) : walk.Fail(error!);
        P2PTelemetry.CompleteLookup(activity, Name, result.Hops, result.LatencyMs, success ? space.Format(owner) : "", success);

        // Fetch from the home node (files are stored where they were uploaded).
        string? content = null;
        var fetchRtt = 0.0;
        if (success)
        {
            if (owner == Self)
            {
                content = node.Peer.Hosts(fileName) ? node.Contents.GetValueOrDefault(fileName) : null;
            }
            else
            {
                using var fetch = P2PTelemetry.Source.StartActivity(Name + ".fetch");
                fetch?.SetTag("p2p.hop.node", space.Format(owner));
                fetchRtt = node.Network.Rtt(Self, owner);
                var fetched = await Calls.CallAsync(owner, "fetch", p => p.FetchAsync(fileName), P2PTelemetry.LookupKind);
                if (!fetched.Ok)
                {
                    fetch?.SetStatus(ActivityStatusCode.Error);
                }

                content = fetched.Value;
            }
        }

        return new KelipsLookupResult(fileName, plan.FileGroup, result, content is not null, content, fetchRtt, route);
    }

    /// <summary>
    /// Why a routable lookup failed. Reaching no member of the file's group (no contact there here,
    /// none at the group mates asked: e.g. every member of that group died) is not the same failure
    /// as members that were asked and hold no filetuple, so the two read differently.
    /// </summary>
    private static string LookupFailure(KelipsNode node, int group, string fileName, int groupAsked, int dead, int messages, IReadOnlyList<(NodeId Peer, string Reason, string Answer, IReadOnlyList<NodeId>? Contacts)> answers)
    {
        string Describe(NodeId peer) => $"{node.Parameters.Space.Short(peer)} (group {node.Peer.Groups.Of(peer)})";
        string Line((NodeId Peer, string Reason, string Answer, IReadOnlyList<NodeId>? Contacts) a) =>
            $"{Describe(a.Peer)} as {a.Reason}: {a.Answer}{(a.Contacts is { } c ? $" [{string.Join(", ", c.Select(Describe))}]" : "")}";

        var what = groupAsked > 0
            ? $"no peer asked in group {group} knows '{fileName}'"
            : $"no peer of group {group} to ask for '{fileName}': no contact there here nor at the group mates asked";
        var gone = dead > 0 ? $" ({dead} of the {messages} peers asked did not answer in time or were gone)" : "";
        return $"{what}{gone}; asked: {(answers.Count == 0 ? "nobody" : string.Join("; ", answers.Select(Line)))}";
    }

    public Task<KelipsPeerState> GetStateAsync() => Task.FromResult(Node.Snapshot(Silo));

    public Task<IReadOnlyList<string>> GetHostedFilesAsync() =>
        Task.FromResult<IReadOnlyList<string>>([.. Node.Peer.HostedFiles.Where(t => !t.Deleted).Select(t => t.FileName)]);

    public Task<KelipsPeerCheck> CheckAsync(IReadOnlyList<NodeId> groupMembers, IReadOnlyList<string> groupFiles)
    {
        var peer = Node.Peer;
        return Task.FromResult(new KelipsPeerCheck(
            Self,
            peer.Group,
            KelipsGroundTruth.ViewCompleteness(peer, groupMembers),
            KelipsGroundTruth.StaleViewEntries(peer, groupMembers),
            KelipsGroundTruth.FileTupleCoverage(peer, groupFiles),
            [.. peer.Contacts.All.Select(c => c.Id)],
            Node.Counters()));
    }

    // --- periodic work -----------------------------------------------------------------

    /// <summary>
    /// One round (section 2.1): rejoin if isolated, bump heartbeats, expire, and send this round's
    /// bounded gossip messages; a target that does not answer is reported unreachable.
    /// </summary>
    public override async Task TickAsync(long round)
    {
        var node = Node;
        node.Round = round > node.Round ? round : node.Round + 1;
        node.Rounds++;
        if (node.ResumeFromRound is { } from)
        {
            Resume(node, from);

            // Its view, contacts and filetuples are as old as its last write (soft state is not
            // written, see PersistAsync): catch up through the join's state transfer (section 2)
            // with the nearest group mate, which also learns the new heartbeat at once.
            if (node.Peer.View.OthersByRtt().FirstOrDefault() is { } mate)
            {
                await JoinThroughAsync(node, mate.Id, adoptRound: false);
                if (Current != node)
                {
                    return;
                }
            }
        }

        if (node.Peer.RejoinTarget() is { } target)
        {
            await JoinThroughAsync(node, target, adoptRound: false);
            if (Current != node)
            {
                return;
            }
        }

        var sends = node.Peer.Step(node.Round);
        var bytes = sends.Sum(s => s.Bytes);
        node.LastRoundMessages = sends.Count;
        node.LastRoundBytes = bytes;
        node.GossipMessages += sends.Count;
        node.GossipBytes += bytes;
        foreach (var send in sends)
        {
            P2PTelemetry.CountMessage(Name, P2PTelemetry.MaintenanceKind, send.ToContact ? "gossip_contact" : "gossip");
        }

        await Task.WhenAll(sends.Select(s => Calls.TryAsync(s.Target, null, p => p.GossipAsync(s.Message))));
        if (Current == node)
        {
            P2PTelemetry.StateEntries.Record(node.Peer.View.Count + node.Peer.Contacts.Count + node.Peer.FileTuples.Count,
                new KeyValuePair<string, object?>("p2p.protocol", Name));
        }

        await FailoverAsync(node);
        await ReplicateAsync(node);
        await PersistAsync(node);
    }

    // --- backups and durability (issue 9) ----------------------------------------------

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
        node.Peer.Resume(elapsed, node.Round);
    }

    /// <summary>
    /// Failover (Replicas &gt; 1): a backup whose home and earlier holders are gone from this peer's
    /// view (member timeout, section 2.1) is adopted through the leave path's adoption: this peer
    /// becomes the home node with a tuple above any the dead home published, then re-replicates.
    /// </summary>
    private async Task FailoverAsync(KelipsNode node)
    {
        foreach (var held in node.Backups.DueForAdoption(node.Peer.View.Contains))
        {
            var name = held.Copy.FileName;
            if (Current != node || !node.Backups.Release(name))
            {
                continue;
            }

            node.Contents[name] = held.Copy.Content!;
            node.DurableVersion++;
            Logger.LogDebug("Kelips peer {Peer} adopts {File} of {Home}", Self, name, held.Copy.Home);
            await PublishAsync(node, name, () => node.Peer.Insert(name, node.Round, KelipsBackups.AdoptionHeartbeat(held, node.Round)));

            // The other holders drop the dead home's copy: this peer re-replicates right after
            // (ReplicateAsync), and a stale copy must not resurrect the file after a later delete.
            foreach (var other in held.Copy.Holders.Skip(1).Where(h => h != Self))
            {
                await PushBackupAsync(node, other, held.Copy with { Content = null });
            }
        }
    }

    /// <summary>
    /// Pushes the backups this home owes (<see cref="KelipsBackups.Plan"/>): only when a file's
    /// holders (its view, or the silos learnt) or its hosted files changed, never as periodic traffic.
    /// </summary>
    private async Task ReplicateAsync(KelipsNode node)
    {
        if (Current != node || (node.Parameters.Replicas <= 1 && node.Backups.Pushed.Count == 0))
        {
            return;
        }

        var hosted = node.Peer.HostedFiles
            .Where(t => !t.Deleted && node.Contents.ContainsKey(t.FileName))
            .Select(t => (t, node.Contents[t.FileName]))
            .ToList();
        var mates = node.Peer.View.Entries.Select(e => e.Id).ToList();
        var pushes = node.Backups.Plan(Silo, hosted, mates, node.Peer.View.OwnHeartbeat);
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

            if (reached && Current == node)
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
        var stored = await Calls.CallAsync(target, null, p => p.StoreBackupsAsync([copy]));
        if (stored.Ok)
        {
            node.Backups.LearnSilo(target, stored.Value!);
        }

        return stored.Ok;
    }

    // --- plumbing ----------------------------------------------------------------------

    /// <summary>
    /// Join (section 2): ask a live peer, adopt its answer, then ask the group mate it named for the
    /// full group state. Returns whether the first peer answered (the call policy has dealt with it otherwise).
    /// </summary>
    private async Task<PeerCallResult> JoinThroughAsync(KelipsNode node, NodeId bootstrap, bool adoptRound)
    {
        var self = new MemberEntry(Self, node.Peer.View.OwnHeartbeat);
        var first = await Calls.CallAsync(bootstrap, "join", p => p.AcceptJoinAsync(self));
        if (!first.Ok || Current != node)
        {
            return first.WithoutValue();
        }

        var snapshot = first.Value!;
        if (adoptRound && snapshot.Round > node.Round)
        {
            // Live clocks: the newcomer takes its bootstrap's round, so what it learns ages alike.
            node.Round = snapshot.Round;
        }

        node.Peer.ApplyJoin(snapshot, node.Round);
        if (KelipsJoin.GroupBootstrap(node.Peer, snapshot) is { } mate
            && (await Calls.CallAsync(mate, "join", p => p.AcceptJoinAsync(self))).Value is { } full
            && Current == node)
        {
            node.Peer.ApplyJoin(full, node.Round);
        }

        return first.WithoutValue();
    }

    /// <summary>
    /// Sends a new filetuple (insert, delete, adoption) to a contact of the file's group; when that
    /// contact is dead, to the next one. Returns the contact reached, or null (own group, or no
    /// contact yet: then the tuple spreads through the home node's later gossip).
    /// </summary>
    private async Task<NodeId?> PublishAsync(KelipsNode node, string fileName, Func<IReadOnlyList<GossipSend>> publish)
    {
        var sends = publish();
        if (sends.Count == 0)
        {
            return null;
        }

        var message = sends[0].Message;
        var target = sends[0].Target;
        var group = node.Peer.Groups.OfFile(fileName);
        for (var attempt = 0; attempt <= node.Parameters.Contacts + 1 && Current == node; attempt++)
        {
            // Not a round's gossip: counted apart, so the per-round figures stay the paper's constant.
            node.PublishMessages++;
            P2PTelemetry.CountMessage(Name, P2PTelemetry.MaintenanceKind, "publish");
            if (await Calls.TryAsync(target, null, p => p.GossipAsync(message)))
            {
                return target;
            }

            if (Current != node || node.Peer.Contacts.InGroup(group).FirstOrDefault() is not { } next)
            {
                return null;
            }

            target = next.Id;
        }

        return null;
    }

    private static void CheckFileName(string fileName)
    {
        if (string.IsNullOrWhiteSpace(fileName) || fileName.Length > 1024)
        {
            throw new P2PException("a file name must be 1 to 1024 characters and not blank");
        }
    }

    // --- durable record ----------------------------------------------------------------

    protected override KelipsNode? Restore(KelipsPeerRecord record) =>
        record is { Member: true, Parameters.Durable: true } ? KelipsNode.FromRecord(Self, record) : null;

    protected override KelipsPeerRecord ToRecord(KelipsNode node) => node.ToRecord(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    /// <summary>
    /// Durable peers write their record after each change a restarted peer could not get back from
    /// gossip: join, hosted files and contents (insert, delete, adoption), backups held or pushed;
    /// one coalesced write per operation, and an operation answers only after its write. Heartbeats
    /// and gossip merges never cause a write: they change every round and are soft state that gossip
    /// refreshes (section 2.1), so writing them would cost a storage write per peer per round. The
    /// view, contacts and filetuples saved with the other writes are a free head start.
    /// </summary>
    protected override long Marker(KelipsNode node) => node.DurableVersion;

    /// <summary>A restored peer's first round makes its heartbeats supersede its old ones.</summary>
    protected override string RestoredSummary(KelipsNode node) => $"{node.Contents.Count} files and {node.Backups.Held.Count} backups";
}
