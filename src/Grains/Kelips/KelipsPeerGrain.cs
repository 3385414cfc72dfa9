using System.Diagnostics;
using Microsoft.Extensions.Logging;
using P2POrleans.Common;

namespace P2POrleans.Kelips;

/// <summary>
/// A Kelips peer. Thin: the soft state, gossip content, merge rules and lookup plans come from
/// <see cref="KelipsPeer"/>; this grain sends what it decides and executes its plans. Reentrant
/// (DESIGN.md section 4): gossip and lookups reach a peer while it awaits its own calls, so every
/// method re-reads the state after each await.
/// </summary>
[Orleans.Concurrency.Reentrant]
[CollectionAgeLimit(AlwaysActive = true)]
[Orleans.Placement.RandomPlacement] // peers spread over the silos, so a silo crash takes a random subset of every group
public sealed class KelipsPeerGrain(ILogger<KelipsPeerGrain> logger) : Grain, IKelipsPeerGrain
{
    private const string Protocol = KelipsParameters.Name;

    // Gossip is fire-and-forget in the paper (UDP): a peer never waits long on one. A call to a peer
    // of a silo that just died can hang until Orleans' response timeout (30 s), which would stall
    // the round (and make the registry drop this live peer); after this long it counts as dead.
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(3);

    private string _overlay = "";
    private NodeId _self;
    private KelipsNode? _node;
    private IGrainTimer? _timer;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_overlay, _self) = PeerKeys.Parse(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    private KelipsNode Node => _node ?? throw new PeerUnreachableException($"kelips peer {_self.ToHex()[..8]} of '{_overlay}' is not a member");

    // --- membership -------------------------------------------------------------------

    public async Task<KelipsPeerState> JoinAsync(KelipsJoinRequest request)
    {
        if (_node is not null)
        {
            throw new P2PException($"peer {request.Parameters.Space.Format(_self)} is already a member of '{_overlay}'");
        }

        var node = new KelipsNode(request.Parameters, _self, request.Address, request.Round);
        _node = node;
        try
        {
            if (request.Bootstrap is { } bootstrap && bootstrap != _self)
            {
                await JoinThroughAsync(node, bootstrap, adoptRound: true);
            }
        }
        catch
        {
            _node = null;
            throw;
        }

        await Registry.AddMemberAsync(_self);
        StartClock(node);
        P2PTelemetry.ActivePeers.Add(1);
        return node.Snapshot();
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
        Stop();
        if (files.Count > 0)
        {
            foreach (var mate in mates)
            {
                if (await TryAsync(mate, p => p.AdoptFilesAsync(files)))
                {
                    break;
                }
            }
        }

        await Concurrently.ForEachAsync(mates, 16, mate => TryAsync(mate, p => p.DepartedAsync(_self)));
        await Registry.RemoveMemberAsync(_self);
        logger.LogDebug("Kelips peer {Peer} left {Overlay}", _self, _overlay);
    }

    public async Task FailAsync()
    {
        _ = Node;
        Stop();
        await Registry.RemoveMemberAsync(_self);
    }

    public Task StopAsync()
    {
        if (_node is not null)
        {
            Stop();
        }

        return Task.CompletedTask;
    }

    public Task<bool> IsMemberAsync() => Task.FromResult(_node is not null);

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
            if (_node != node)
            {
                return;
            }

            node.Contents[file.FileName] = file.Content;
            await PublishAsync(node, file.FileName, () => node.Peer.Insert(file.FileName, node.Round, file.Heartbeat));
        }
    }

    public Task DepartedAsync(NodeId peer)
    {
        var node = Node;
        node.Peer.ReportUnreachable(peer, node.Round);
        return Task.CompletedTask;
    }

    // --- client operations -------------------------------------------------------------

    public async Task<KelipsInsertResult> InsertAsync(string fileName, string content)
    {
        var node = Node;
        CheckFileName(fileName);
        node.Contents[fileName] = content ?? "";
        var sentTo = await PublishAsync(node, fileName, () => node.Peer.Insert(fileName, node.Round));
        return new KelipsInsertResult(fileName, _self, node.Peer.Groups.OfFile(fileName), sentTo, false);
    }

    public async Task<KelipsInsertResult> DeleteAsync(string fileName)
    {
        var node = Node;
        CheckFileName(fileName);
        if (!node.Peer.Hosts(fileName))
        {
            throw new P2PException($"peer {node.Parameters.Space.Format(_self)} is not the home node of '{fileName}' (delete from the peer that inserted it)");
        }

        node.Contents.Remove(fileName);
        var sentTo = await PublishAsync(node, fileName, () => node.Peer.Delete(fileName, node.Round));
        return new KelipsInsertResult(fileName, _self, node.Peer.Groups.OfFile(fileName), sentTo, true);
    }

    /// <summary>
    /// Lookup (section 2.2): the file's group; own group -> local filetuples; else ask the contacts
    /// there, nearest first (one hop each); if none answers, ask the nearest group mates for their
    /// contacts there. Then fetch the file from the home node the tuple names. Every peer asked is a
    /// hop of the result and a "kelips.hop" span; the fetch is a "kelips.fetch" span.
    /// </summary>
    public async Task<KelipsLookupResult> LookupAsync(string fileName)
    {
        var node = Node;
        CheckFileName(fileName);
        var space = node.Parameters.Space;
        using var activity = P2PTelemetry.StartLookup(Protocol, _overlay, fileName, space.Format(_self));
        var plan = node.Peer.PlanLookup(fileName);
        activity?.SetTag("kelips.group", plan.FileGroup);
        var path = new List<Hop> { new(_self, 0, "initiator") };
        var tried = new HashSet<NodeId> { _self };
        var latency = 0.0;
        var messages = 0;
        var dead = 0;
        FileTuple? answer = null;

        // One remote step: the peer is a hop whether it answers, knows nothing, or is dead.
        async Task<(bool Ok, T? Value)> AskAsync<T>(NodeId peer, string reason, Func<IKelipsPeerGrain, Task<T>> call)
        {
            var rtt = node.Network.Rtt(_self, peer);
            latency += rtt;
            messages++;
            node.LookupMessages++;
            P2PTelemetry.CountMessage(Protocol, P2PTelemetry.LookupKind, reason == "group mate" ? "contacts_for" : "query");
            path.Add(new Hop(peer, rtt, reason));
            using var hop = P2PTelemetry.StartHop(Protocol, path.Count - 1, space.Format(peer));
            try
            {
                return (true, await call(Peer(peer)).WaitAsync(CallTimeout));
            }
            catch (Exception e) when (Unreachable.Is(e))
            {
                hop?.SetTag("p2p.hop.dead", true);
                hop?.SetStatus(ActivityStatusCode.Error);
                dead++;
                path[^1] = path[^1] with { Reason = reason + " (dead)" };
                if (_node == node)
                {
                    node.Peer.ReportUnreachable(peer, node.Round);
                }

                return (false, default);
            }
        }

        async Task<FileTuple?> QueryContactAsync(NodeId contact, string reason)
        {
            if (!tried.Add(contact))
            {
                return null;
            }

            var (_, tuple) = await AskAsync(contact, reason, p => p.QueryAsync(fileName));
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
                foreach (var contact in ok ? theirs! : [])
                {
                    if ((answer = await QueryContactAsync(contact, "contact of group mate")) is not null)
                    {
                        break;
                    }
                }
            }
        }

        var keyId = space.Hash(fileName);
        var success = answer is not null;
        var error = success ? null
            : plan.IsLocal ? $"'{fileName}' is not in the filetuples of its group {plan.FileGroup} (this peer's own)"
            : plan.CanRoute ? $"no peer asked in group {plan.FileGroup} knows '{fileName}'"
            : $"no contact in group {plan.FileGroup} and no group mate to ask";
        var owner = answer?.HomeNode ?? NodeId.Zero;
        var result = new LookupResult(keyId, owner, path.Count - 1, path, latency, success, error, messages, dead);
        P2PTelemetry.CompleteLookup(activity, Protocol, result.Hops, latency, success ? space.Format(owner) : "", success);

        // Fetch from the home node (files are stored where they were uploaded).
        string? content = null;
        var fetchRtt = 0.0;
        if (success)
        {
            if (owner == _self)
            {
                content = node.Peer.Hosts(fileName) ? node.Contents.GetValueOrDefault(fileName) : null;
            }
            else
            {
                using var fetch = P2PTelemetry.Source.StartActivity(Protocol + ".fetch");
                fetch?.SetTag("p2p.hop.node", space.Format(owner));
                fetchRtt = node.Network.Rtt(_self, owner);
                node.LookupMessages++;
                P2PTelemetry.CountMessage(Protocol, P2PTelemetry.LookupKind, "fetch");
                try
                {
                    content = await Peer(owner).FetchAsync(fileName).WaitAsync(CallTimeout);
                }
                catch (Exception e) when (Unreachable.Is(e))
                {
                    fetch?.SetStatus(ActivityStatusCode.Error);
                    if (_node == node)
                    {
                        node.Peer.ReportUnreachable(owner, node.Round);
                    }
                }
            }
        }

        return new KelipsLookupResult(fileName, plan.FileGroup, result, content is not null, content, fetchRtt);
    }

    public Task<KelipsPeerState> GetStateAsync() => Task.FromResult(Node.Snapshot());

    public Task<IReadOnlyList<string>> GetHostedFilesAsync() =>
        Task.FromResult<IReadOnlyList<string>>([.. Node.Peer.HostedFiles.Where(t => !t.Deleted).Select(t => t.FileName)]);

    public Task<KelipsPeerCheck> CheckAsync(IReadOnlyList<NodeId> groupMembers, IReadOnlyList<string> groupFiles)
    {
        var peer = Node.Peer;
        return Task.FromResult(new KelipsPeerCheck(
            _self,
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
    public async Task TickAsync(long round)
    {
        var node = Node;
        node.Round = round > node.Round ? round : node.Round + 1;
        node.Rounds++;
        if (node.Peer.RejoinTarget() is { } target)
        {
            try
            {
                await JoinThroughAsync(node, target, adoptRound: false);
            }
            catch (Exception e) when (Unreachable.Is(e))
            {
                if (_node == node)
                {
                    node.Peer.ReportUnreachable(target, node.Round);
                }
            }

            if (_node != node)
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
            P2PTelemetry.CountMessage(Protocol, P2PTelemetry.MaintenanceKind, send.ToContact ? "gossip_contact" : "gossip");
        }

        await Task.WhenAll(sends.Select(s => TryAsync(s.Target, p => p.GossipAsync(s.Message))));
        if (_node == node)
        {
            P2PTelemetry.StateEntries.Record(node.Peer.View.Count + node.Peer.Contacts.Count + node.Peer.FileTuples.Count,
                new KeyValuePair<string, object?>("p2p.protocol", Protocol));
        }
    }

    // --- plumbing ----------------------------------------------------------------------

    /// <summary>Join (section 2): ask a live peer, adopt its answer, then ask the group mate it named for the full group state.</summary>
    private async Task JoinThroughAsync(KelipsNode node, NodeId bootstrap, bool adoptRound)
    {
        var self = new MemberEntry(_self, node.Peer.View.OwnHeartbeat);
        P2PTelemetry.CountMessage(Protocol, P2PTelemetry.MaintenanceKind, "join");
        var snapshot = await Peer(bootstrap).AcceptJoinAsync(self);
        if (_node != node)
        {
            return;
        }

        if (adoptRound && snapshot.Round > node.Round)
        {
            // Live clocks: the newcomer takes its bootstrap's round, so what it learns ages alike.
            node.Round = snapshot.Round;
        }

        node.Peer.ApplyJoin(snapshot, node.Round);
        if (KelipsJoin.GroupBootstrap(node.Peer, snapshot) is { } mate)
        {
            P2PTelemetry.CountMessage(Protocol, P2PTelemetry.MaintenanceKind, "join");
            try
            {
                var full = await Peer(mate).AcceptJoinAsync(self);
                if (_node == node)
                {
                    node.Peer.ApplyJoin(full, node.Round);
                }
            }
            catch (Exception e) when (Unreachable.Is(e))
            {
                if (_node == node)
                {
                    node.Peer.ReportUnreachable(mate, node.Round);
                }
            }
        }
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
        for (var attempt = 0; attempt <= node.Parameters.Contacts + 1 && _node == node; attempt++)
        {
            // Not a round's gossip: counted apart, so the per-round figures stay the paper's constant.
            node.PublishMessages++;
            P2PTelemetry.CountMessage(Protocol, P2PTelemetry.MaintenanceKind, "publish");
            if (await TryAsync(target, p => p.GossipAsync(message)))
            {
                return target;
            }

            if (_node != node || node.Peer.Contacts.InGroup(group).FirstOrDefault() is not { } next)
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

    private IOverlayRegistryGrain Registry => GrainFactory.GetGrain<IOverlayRegistryGrain>(_overlay);

    private IKelipsPeerGrain Peer(NodeId id) => GrainFactory.GetGrain<IKelipsPeerGrain>(PeerKeys.For(_overlay, id));

    /// <summary>Calls a peer; false (and the peer reported unreachable) when it is dead.</summary>
    private async Task<bool> TryAsync(NodeId id, Func<IKelipsPeerGrain, Task> call)
    {
        try
        {
            await call(Peer(id)).WaitAsync(CallTimeout);
            return true;
        }
        catch (Exception e) when (Unreachable.Is(e))
        {
            if (_node is { } node)
            {
                node.Peer.ReportUnreachable(id, node.Round);
            }

            return false;
        }
    }

    private void StartClock(KelipsNode node)
    {
        if (node.Parameters.Clock != ClockMode.Live)
        {
            return;
        }

        var period = TimeSpan.FromMilliseconds(node.Parameters.PeriodMs);
        _timer = this.RegisterGrainTimer(
            static (self, _) => self._node is null ? Task.CompletedTask : self.TickAsync(0),
            this,
            new GrainTimerCreationOptions(period, period) { Interleave = true, KeepAlive = true });
    }

    private void Stop()
    {
        _node = null;
        _timer?.Dispose();
        _timer = null;
        P2PTelemetry.ActivePeers.Add(-1);
        DeactivateOnIdle();
    }
}
