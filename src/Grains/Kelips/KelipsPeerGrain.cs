using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P2POrleans.Common;
using P2POrleans.Kelips.Gossip;

namespace P2POrleans.Kelips;

/// <summary>
/// A Kelips peer: holds a <see cref="KelipsNode"/> (the pure core: soft state, files, backups,
/// clock, counters) and sends the messages that <see cref="KelipsLookup"/> and
/// <see cref="KelipsMaintenance"/> decide, through the shared call policy (<see cref="PeerCalls{TPeer}"/>;
/// docs/architecture.md, peer grains). Reentrant (docs/kelips.md): gossip and lookups reach a peer
/// while it awaits its own calls, so every method re-reads the state after each await.
/// </summary>
[Orleans.Concurrency.Reentrant]
[CollectionAgeLimit(AlwaysActive = true)]
[Orleans.Placement.RandomPlacement] // peers spread over the silos, so a silo crash takes a random subset of every group
public sealed class KelipsPeerGrain : PeerGrain<KelipsNode, KelipsPeerRecord, long, IKelipsPeerGrain>, IKelipsPeerGrain
{
    private const string Name = KelipsParameters.Name;

    private readonly KelipsLookup _lookup;
    private readonly KelipsMaintenance _maintenance;

    public KelipsPeerGrain(ILogger<KelipsPeerGrain> logger, Orleans.Serialization.Serializer serializer, IOptions<PeerCallOptions> callOptions, TimeProvider time)
        : base(Name, logger, serializer, callOptions, time)
    {
        _lookup = new KelipsLookup(Calls);
        _maintenance = new KelipsMaintenance(Calls, () => Current, Logger);
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
                var joined = await _maintenance.JoinThroughAsync(node, bootstrap, adoptRound: true);
                if (!joined.Ok)
                {
                    // The driver tries another bootstrap either way, but forgets this one only when it
                    // said it is not a member: a timeout or an unreachable silo may be a live peer.
                    var reason = $"join failed: the bootstrap {request.Parameters.Space.Format(bootstrap)} did not answer ({Unreachable.Describe(joined.Fault, Calls.Timeout)})";
                    throw joined.Fault == PeerFault.NotMember ? new PeerUnreachableException(reason) : new P2PException(reason);
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

    public async Task InstallAsync(KelipsJoinRequest request, JoinSnapshot state)
    {
        if (Current is { } existing)
        {
            existing.State.ApplyJoin(state, existing.Round);
            return;
        }

        var node = new KelipsNode(request.Parameters, Self, request.Address, request.Round);
        node.State.ApplyJoin(state, node.Round);
        Current = node;
        StartMembership(node);
        node.DurableVersion++;
        await PersistAsync(node);
    }

    public async Task LeaveAsync()
    {
        var node = Node;

        // Graceful leave (not in the paper, which only has crashes): the nearest live group mate
        // adopts the files stored here (it becomes their home node), and the group is told at once
        // instead of waiting for the member timeout.
        var files = node.State.HostedFiles
            .Where(t => !t.Deleted && node.Contents.ContainsKey(t.FileName))
            .Select(t => new HostedFile(t.FileName, node.Contents[t.FileName], t.Heartbeat))
            .ToList();
        var mates = node.State.View.OthersByRtt().Select(e => e.Id).ToList();
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
        return Task.FromResult(node.State.AcceptJoin(newcomer, node.Round));
    }

    public Task GossipAsync(GossipMessage message)
    {
        var node = Node;
        node.State.Receive(message, node.Round);
        return Task.CompletedTask;
    }

    public Task<FileTuple?> QueryAsync(string fileName) => Task.FromResult(Node.State.AnswerLookup(fileName));

    public Task<IReadOnlyList<NodeId>> ContactsForAsync(int group) => Task.FromResult(Node.State.ContactsFor(group));

    public Task<string?> FetchAsync(string fileName)
    {
        var node = Node;
        return Task.FromResult(node.State.Hosts(fileName) ? node.Contents.GetValueOrDefault(fileName) : null);
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
            await _maintenance.PublishAsync(node, file.FileName, () => node.State.Insert(file.FileName, node.Round, file.Heartbeat));
        }

        await PersistAsync(node);
    }

    public Task DepartedAsync(NodeId peer)
    {
        var node = Node;
        node.State.ReportUnreachable(peer, node.Round);
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
                node.State.Learn(new MemberEntry(copy.Home, copy.HomeHeartbeat), node.Round);
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
        return await PublishChangeAsync(node, fileName, () => node.State.Insert(fileName, node.Round), deleted: false);
    }

    public async Task<KelipsInsertResult> DeleteAsync(string fileName)
    {
        var node = Node;
        CheckFileName(fileName);
        if (!node.State.Hosts(fileName))
        {
            throw new P2PException($"peer {node.Parameters.Space.Format(Self)} is not the home node of '{fileName}' (delete from the peer that inserted it)");
        }

        node.Contents.Remove(fileName);
        return await PublishChangeAsync(node, fileName, () => node.State.Delete(fileName, node.Round), deleted: true);
    }

    /// <summary>
    /// What an insert and a delete do once the home node's contents changed: the new filetuple (a
    /// tombstone for a delete) goes to a contact of the file's group, the backups follow and the
    /// durable record is written.
    /// </summary>
    private async Task<KelipsInsertResult> PublishChangeAsync(KelipsNode node, string fileName, Func<IReadOnlyList<GossipSend>> publish, bool deleted)
    {
        node.DurableVersion++;
        var sentTo = await _maintenance.PublishAsync(node, fileName, publish);
        await _maintenance.ReplicateAsync(node, Silo);
        await PersistAsync(node);
        return new KelipsInsertResult(fileName, Self, node.State.Groups.OfFile(fileName), sentTo, deleted);
    }

    /// <summary>Lookup (section 2.2), driven by <see cref="KelipsLookup"/>: one hop to a contact of the file's group, then the fetch from its home node.</summary>
    public Task<KelipsLookupResult> LookupAsync(string fileName)
    {
        var node = Node;
        CheckFileName(fileName);
        return _lookup.RunAsync(node, Overlay, fileName);
    }

    public Task<KelipsPeerState> GetStateAsync() => Task.FromResult(Node.Snapshot(Silo));

    public Task<IReadOnlyList<string>> GetHostedFilesAsync() =>
        Task.FromResult<IReadOnlyList<string>>([.. Node.State.HostedFiles.Where(t => !t.Deleted).Select(t => t.FileName)]);

    public Task<KelipsPeerCheck> CheckAsync(IReadOnlyList<NodeId> groupMembers, IReadOnlyList<string> groupFiles)
    {
        var state = Node.State;
        return Task.FromResult(new KelipsPeerCheck(
            Self,
            state.Group,
            KelipsGroundTruth.ViewCompleteness(state, groupMembers),
            KelipsGroundTruth.StaleViewEntries(state, groupMembers),
            KelipsGroundTruth.FileTupleCoverage(state, groupFiles),
            [.. state.Contacts.All.Select(c => c.Id)],
            Node.Counters()));
    }

    // --- periodic work -----------------------------------------------------------------

    /// <summary>
    /// One round (section 2.1; <see cref="KelipsMaintenance.RoundAsync"/>): rejoin if isolated, bump
    /// heartbeats, expire, gossip, fail over and re-replicate; then the durable write.
    /// </summary>
    public override async Task TickAsync(long round)
    {
        var node = Node;
        if (await _maintenance.RoundAsync(node, round, Silo))
        {
            await PersistAsync(node);
        }
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
