using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using P2POrleans.BitTorrent.Messages;
using P2POrleans.BitTorrent.Storage;
using P2POrleans.BitTorrent.Torrent;
using P2POrleans.BitTorrent.Wire;
using P2POrleans.Common;

namespace P2POrleans.BitTorrent.Swarm;

/// <summary>
/// A swarm member. Thin: the protocol is <see cref="SwarmMember"/>; the grain loads the content
/// (seeds), talks to the tracker, and on simulated time hands each tick's message batches (with the
/// real block bytes) to the driver, which carries them to their receivers with their next tick
/// (<see cref="SwarmBatch"/>). Reentrant: on the wire, socket events and the timer interleave;
/// state is re-read after every await. The member object exists only while the peer is in the
/// swarm; otherwise every call throws <see cref="PeerUnreachableException"/>.
/// </summary>
[Orleans.Concurrency.Reentrant]
[CollectionAgeLimit(AlwaysActive = true)]
[Orleans.Placement.RandomPlacement] // members spread over the silos, so a silo crash takes a random subset
public sealed class SwarmPeerGrain : Grain, ISwarmPeerGrain
{
    private string _overlay = "";
    private NodeId _self;
    private SwarmMember? _member;
    private SwarmPeerConfig? _config;
    private string? _storageKey;
    private FilePieceStorage? _privateStorage;
    private Activity? _download;
    private WireMember? _wire;
    private IGrainTimer? _wireTimer;
    private NetworkModel _network = new(1);
    private long _lastTick;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_overlay, _self) = PeerKeys.Parse(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    private SwarmMember Member => _member ?? throw new PeerUnreachableException($"swarm peer {_self.ToHex()[..8]} of '{_overlay}' is not a member");

    private WireMember Wire => _wire ?? throw new PeerUnreachableException($"swarm peer {_self.ToHex()[..8]} of '{_overlay}' is not on the wire");

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // The silo is stopping or the member was stopped: no socket or file may outlive the grain.
        await StopWireAsync();
        ReleaseStorage();
    }

    public async Task<PeerTickReport> StartAsync(SwarmPeerConfig config)
    {
        if (_member is not null)
        {
            throw new P2PException($"peer {config.Peer} is already a member of '{_overlay}'");
        }

        var parameters = config.Parameters;
        var metainfo = Metainfo.Parse(config.Torrent);
        var store = await LoadStoreAsync(config, metainfo);
        _network = new NetworkModel(parameters.Seed);
        var selfId = SwarmKeys.MemberId(config.Peer);
        var network = _network;
        var member = SwarmPeerSupport.CreateEngine(config, store, other => network.Rtt(selfId, SwarmKeys.MemberId(other)), link: null);
        _member = member;
        _config = config;
        var now = config.ArrivalTick * parameters.TickSeconds;
        await JoinAsync(config, metainfo);
        var response = await SwarmKeys.Tracker(GrainFactory, _overlay, metainfo.InfoHash.Hex)
            .AnnounceAsync(config.Peer, AnnounceEvent.Started, store.IsComplete, parameters.NumWant);
        if (_member != member)
        {
            throw new PeerUnreachableException($"peer {config.Peer} stopped while starting");
        }

        member.OnAnnounced(response.Peers, now);
        return SwarmPeerSupport.Report(member, [], 0, 0, left: false);
    }

    public async Task<string> ServeAsync(SwarmPeerConfig config)
    {
        var wire = config.Wire ?? throw new P2PException($"no endpoint to serve peer {config.Peer} on");
        if (_wire is not null)
        {
            throw new P2PException($"peer {config.Peer} already serves on {_wire.Endpoint}");
        }

        // A seed started on simulated time (swarm create) keeps its pieces; the engine starts afresh on real time.
        var metainfo = Metainfo.Parse(config.Torrent);
        var joined = _member is not null;
        var store = _member?.Store ?? await LoadStoreAsync(config, metainfo);
        var member = SwarmPeerSupport.CreateEngine(config, store, _ => 0, LinkModel.Wire);
        var time = ServiceProvider.GetService<TimeProvider>() ?? TimeProvider.System;
        // Sockets close as soon as the host starts stopping, before grains deactivate one by one.
        var stopping = ServiceProvider.GetService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        var wireMember = new WireMember(_overlay, member, wire, time, new SwarmPeerWireEvents(this.AsReference<ISwarmPeerGrain>()), stopping);
        wireMember.Listen();
        _member = member;
        _config = config;
        _wire = wireMember;
        if (!joined)
        {
            await JoinAsync(config, metainfo);
        }

        _wireTimer = this.RegisterGrainTimer(
            ct => AfterWireAsync(_wire?.TickAsync(ct)),
            new GrainTimerCreationOptions(WireMember.TickPeriod, WireMember.TickPeriod) { Interleave = true, KeepAlive = true });
        await wireMember.AnnounceAsync(AnnounceEvent.Started, CancellationToken.None);
        return wireMember.Endpoint;
    }

    public Task DialAsync(string host, int port)
    {
        var wire = _wire ?? throw new P2PException($"swarm peer {Member.Self} of '{_overlay}' is not on the wire");
        wire.Dial(new System.Net.IPEndPoint(System.Net.IPAddress.Parse(host), port));
        return Task.CompletedTask;
    }

    public Task WireConnectedAsync(int connection, byte[] remoteId, string endpoint, bool incoming) =>
        AfterWireAsync(Task.FromResult(Wire.OnConnected(connection, remoteId, endpoint, incoming)));

    public Task WireReceivedAsync(int connection, IReadOnlyList<PeerMessage> messages) =>
        AfterWireAsync(Task.FromResult(Wire.OnReceived(connection, messages)));

    public Task WireClosedAsync(int connection, WireCloseReason reason)
    {
        _wire?.OnClosed(connection, reason);
        return Task.CompletedTask;
    }

    public Task DeliverAsync(SwarmDelivery delivery)
    {
        Take(Member, delivery);
        return Task.CompletedTask;
    }

    public async Task<PeerTickReport> RunTickAsync(long tick, SwarmDelivery delivered)
    {
        var member = Member;
        Take(member, delivered);
        var config = _config!;
        _lastTick = tick;
        var now = tick * config.Parameters.TickSeconds;
        var result = member.Tick(tick, now);
        SwarmTelemetry.CountBytes(_overlay, member.Self, result.BytesUp, result.BytesDown);
        var outgoing = SwarmPeerSupport.Batches(member.Self, tick, result.Outgoing);

        if (result.CompletedNow)
        {
            SwarmTelemetry.CompleteDownload(_download, member, config.ArrivalTick * config.Parameters.TickSeconds, success: true);
            _download = null;
            await AnnounceAsync(member, AnnounceEvent.Completed);
        }

        if (result.CompletedNow && config.Parameters.LeaveAfterComplete && _member == member)
        {
            outgoing.AddRange(SwarmPeerSupport.Batches(member.Self, tick, await LeaveAsync(member)));
            return SwarmPeerSupport.Report(member, result.PiecesVerified, result.BytesUp, result.BytesDown, left: true) with { Outgoing = outgoing };
        }

        return SwarmPeerSupport.Report(member, result.PiecesVerified, result.BytesUp, result.BytesDown, left: false) with { Outgoing = outgoing };
    }

    private static void Take(SwarmMember member, SwarmDelivery delivery)
    {
        foreach (var peer in delivery.Unreachable)
        {
            member.OnUnreachable(peer); // the connection broke (the peer crashed or left): forget it
        }

        foreach (var batch in delivery.Batches)
        {
            member.Receive(batch.From, batch.Tick, batch.Messages);
        }
    }

    /// <summary>A swarm member moves only with its swarm's ticks (`swarm step`), which carry its messages; an overlay round does nothing.</summary>
    public Task TickAsync(long round) => Task.CompletedTask;

    public async Task ReannounceAsync(long tick)
    {
        var member = Member;
        var response = await SwarmKeys.Tracker(GrainFactory, _overlay, member.Store.Metainfo.InfoHash.Hex)
            .AnnounceAsync(member.Self, AnnounceEvent.None, member.Store.IsComplete, member.Parameters.NumWant);
        if (_member == member)
        {
            member.OnAnnounced(response.Peers, tick * member.Parameters.TickSeconds);
        }
    }

    public async Task StopAsync()
    {
        if (_member is { } member)
        {
            if (_wire is { } wire)
            {
                SwarmTelemetry.TagLinks(_download, wire.Links());
            }

            SwarmTelemetry.CompleteDownload(_download, member, _config!.ArrivalTick * _config.Parameters.TickSeconds, success: member.Store.IsComplete);
            await StopWireAsync();
            Stop();
        }
    }

    public Task<SwarmPeerStatus> GetStatusAsync()
    {
        var member = Member;
        var now = _wire?.Now ?? Math.Max(member.Connections.Select(c => c.ConnectedAt).DefaultIfEmpty(0).Max(), LastTime(member));
        var status = SwarmPeerSupport.Status(member, now);
        return Task.FromResult(_wire is { } wire ? wire.Status(status) : status);
    }

    public Task<SwarmMemberSnapshot> SnapshotAsync(bool withTorrent) => Task.FromResult(SwarmPeerSupport.Snapshot(Member, _config!, withTorrent, _wire is not null));

    public Task<PieceMessage> ReadPieceAsync(int piece)
    {
        var store = Member.Store;
        if (piece < 0 || piece >= store.Metainfo.PieceCount)
        {
            throw new P2PException($"piece {piece} is outside 0..{store.Metainfo.PieceCount - 1}");
        }

        if (!store.HasPiece(piece))
        {
            throw new P2PException($"peer {Member.Self} does not hold piece {piece} yet ({store.Have.Count}/{store.Metainfo.PieceCount} pieces)");
        }

        return Task.FromResult(new PieceMessage(piece, 0, store.ReadPiece(piece)));
    }

    private double LastTime(SwarmMember member) => _lastTick * member.Parameters.TickSeconds;

    private async Task AnnounceAsync(SwarmMember member, AnnounceEvent announceEvent)
    {
        try
        {
            await SwarmKeys.Tracker(GrainFactory, _overlay, member.Store.Metainfo.InfoHash.Hex)
                .AnnounceAsync(member.Self, announceEvent, member.Store.IsComplete, 0);
        }
        catch (Exception e) when (Unreachable.Is(e))
        {
            // A tracker that is down only costs us the announce; peers keep trading.
        }
    }

    /// <summary>Leaves the swarm; returns the closes to send to every connection.</summary>
    private async Task<IReadOnlyList<(PeerId To, IReadOnlyList<PeerMessage> Messages)>> LeaveAsync(SwarmMember member)
    {
        var closes = member.Leave();
        Stop();
        await AnnounceAsync(member, AnnounceEvent.Stopped);
        await GrainFactory.GetGrain<IOverlayRegistryGrain>(_overlay).RemoveMemberAsync(_self);
        return closes;
    }

    /// <summary>
    /// Reads or loads a member's pieces: a seed gets the swarm's content (checked against the torrent), a
    /// leecher starts empty. Shared storage: one copy per silo; private: a file of the member's own.
    /// </summary>
    private async Task<PieceStore> LoadStoreAsync(SwarmPeerConfig config, Metainfo metainfo)
    {
        ReleaseStorage();
        IPieceStorage storage;
        if (config.Parameters.SharedStorage)
        {
            _storageKey = _overlay + "/" + metainfo.InfoHash.Hex;
            storage = SharedPieceStorage.Acquire(_storageKey);
        }
        else
        {
            storage = _privateStorage = new FilePieceStorage(metainfo.TotalLength, metainfo.PieceLength);
        }

        try
        {
            return config.Behaviour == PeerBehaviour.Seed
                ? PieceStore.Seed(metainfo, await SwarmPeerSupport.LoadContentAsync(GrainFactory, config.Overlay, metainfo), storage)
                : new PieceStore(metainfo, storage);
        }
        catch
        {
            ReleaseStorage();
            throw;
        }
    }

    /// <summary>The member counts as live: in the registry, the peer gauge, and (leechers) a download span.</summary>
    private async Task JoinAsync(SwarmPeerConfig config, Metainfo metainfo)
    {
        if (config.Behaviour != PeerBehaviour.Seed)
        {
            _download = SwarmTelemetry.StartDownload(_overlay, metainfo.InfoHash.Hex, config.Peer, config.Behaviour);
        }

        P2PTelemetry.ActivePeers.Add(1);
        await GrainFactory.GetGrain<IOverlayRegistryGrain>(_overlay).AddMemberAsync(_self);
    }

    /// <summary>After a wire step: a completed download closes its span and announces "completed".</summary>
    private async Task AfterWireAsync(Task<WireOutput>? step)
    {
        if (step is null || await step is not { CompletedNow: true } || _wire is not { } wire)
        {
            return;
        }

        SwarmTelemetry.TagLinks(_download, wire.Links());
        SwarmTelemetry.CompleteDownload(_download, wire.Member, 0, success: true);
        _download = null;
        await wire.AnnounceAsync(AnnounceEvent.Completed, CancellationToken.None);
    }

    private async Task StopWireAsync()
    {
        _wireTimer?.Dispose();
        _wireTimer = null;
        if (_wire is { } wire)
        {
            _wire = null;
            await wire.DisposeAsync();
        }
    }

    private void Stop()
    {
        _member = null;
        _download = null;
        ReleaseStorage();
        P2PTelemetry.ActivePeers.Add(-1);
        DeactivateOnIdle();
    }

    private void ReleaseStorage()
    {
        if (_storageKey is not null)
        {
            SharedPieceStorage.Release(_storageKey);
            _storageKey = null;
        }

        _privateStorage?.Dispose();
        _privateStorage = null;
    }
}
