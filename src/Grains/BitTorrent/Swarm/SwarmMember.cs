using P2POrleans.BitTorrent.Choking;
using P2POrleans.BitTorrent.Messages;
using P2POrleans.BitTorrent.PiecePicking;
using P2POrleans.BitTorrent.Storage;
using P2POrleans.BitTorrent.Torrent;

namespace P2POrleans.BitTorrent.Swarm;

/// <summary>
/// One swarm member's protocol engine, with no Orleans types: the caller feeds it the batches other
/// peers sent and calls <see cref="Tick"/>; it answers with the batches to send. On simulated time
/// messages sent in tick t are handled by the receiver in tick t + 1, in sender order, so a run is
/// deterministic for a seed however the grains interleave.
/// Per tick: handle control messages; take in piece messages up to the download capacity
/// (<see cref="DownloadQueue"/>); rechoke on the 10 s / 30 s schedule (<see cref="Choker"/>); serve
/// unchoked peers up to the upload capacity (<see cref="UploadScheduler"/>); top up the request
/// pipelines (<see cref="PieceRequester"/>, <see cref="RequestPipeline"/>). Hash failures and bans
/// are <see cref="StrikeBook"/>'s.
/// </summary>
public sealed class SwarmMember
{
    public const double KeepAliveSeconds = 30;

    /// <summary>A peer with few connections asks the tracker again at most this often.</summary>
    public const double ReannounceSeconds = 15;

    private readonly SortedPeerMap<SwarmConnection> _connections = new();
    private readonly Inbox _inbox = new();
    private readonly List<(long Tick, PeerId From, IReadOnlyList<PeerMessage> Messages)> _arrived = [];
    private readonly List<BlockRequest> _requested = [];
    private readonly DownloadQueue _downloads = new();
    private readonly UploadScheduler _uploads = new();
    private readonly Outbox _outbox = new();
    private readonly StrikeBook _strikes;
    private readonly HashSet<PeerId> _banned = [];
    private readonly PieceRequester _requester;
    private readonly Choker _choker;
    private readonly Func<PeerId, double> _rttMs;
    private readonly InfoHash _infoHash;
    private readonly LinkModel _link;
    private double _lastAnnounceAt = double.NegativeInfinity;
    private long _bytesUpThisTick;
    private long _bytesDownThisTick;
    private List<int> _verifiedThisTick = [];

    public SwarmMember(PeerId self, PeerBehaviour behaviour, SwarmParameters parameters, PieceStore store, Random pickerRandom, Random chokerRandom, Func<PeerId, double> rttMs, LinkModel? link = null)
    {
        _link = link ?? LinkModel.Simulated(parameters);
        Self = self;
        Behaviour = behaviour;
        Parameters = parameters;
        Store = store;
        _rttMs = rttMs;
        _infoHash = store.Metainfo.InfoHash;
        _strikes = new StrikeBook(parameters.BanThreshold);
        Availability = new Availability(store.Metainfo.PieceCount);
        var requests = new PieceRequests(store.Layout, store.Have);
        _requester = new PieceRequester(requests, Availability, PiecePickers.Create(parameters.Policy, requests, Availability, pickerRandom, parameters.RandomFirstPieces));
        _choker = new Choker(
            new ChokerOptions(parameters.UploadSlots, Enabled: parameters.Choking, FreeRider: behaviour == PeerBehaviour.FreeRider),
            chokerRandom);
    }

    public PeerId Self { get; }

    public PeerBehaviour Behaviour { get; }

    public SwarmParameters Parameters { get; }

    public PieceStore Store { get; }

    public Availability Availability { get; }

    public IReadOnlyCollection<SwarmConnection> Connections => _connections.Values;

    public IReadOnlySet<PeerId> Banned => _banned;

    public long BytesUp { get; private set; }

    public long BytesDown { get; private set; }

    /// <summary>Pieces that failed their hash here.</summary>
    public int HashFailures { get; private set; }

    public double? CompletedAt { get; private set; }

    /// <summary>For each verified piece: when, and the peers whose blocks made it.</summary>
    public List<(int Piece, double Time, IReadOnlyList<PeerId> From)> Downloads { get; } = [];

    /// <summary>Hash failures each peer contributed to, as counted here.</summary>
    public IReadOnlyDictionary<PeerId, int> BadPieces => _strikes.BadPieces;

    /// <summary>We initiate up to half the connections and accept the rest (mainline: 40 of 80).</summary>
    public int InitiateLimit => Math.Max(1, Parameters.MaxConnections / 2);

    /// <summary>True when we lack peers and may ask the tracker again (mainline re-announces when its peer set is small).</summary>
    public bool NeedsPeers(double now) => !Store.IsComplete && _connections.Count < InitiateLimit && now - _lastAnnounceAt >= ReannounceSeconds;

    /// <summary>The tracker answered: connect to the peers it named, up to the initiate limit.</summary>
    public void OnAnnounced(IReadOnlyList<PeerId> peers, double now)
    {
        _lastAnnounceAt = now;
        foreach (var peer in peers)
        {
            Connect(peer, now);
        }
    }

    /// <summary>True while a connection to <paramref name="peer"/> is open.</summary>
    public bool IsConnected(PeerId peer) => _connections.ContainsKey(peer);

    /// <summary>The open connection to <paramref name="peer"/>, if any.</summary>
    public SwarmConnection? ConnectionTo(PeerId peer) => _connections.GetValueOrDefault(peer);

    /// <summary>Opens a connection (we initiate): handshake and bitfield go out with our next tick.</summary>
    public bool Connect(PeerId peer, double now)
    {
        if (peer == Self || _connections.ContainsKey(peer) || _banned.Contains(peer) || _connections.Count >= InitiateLimit)
        {
            return false;
        }

        _connections[peer] = new SwarmConnection(peer, now, _rttMs(peer));
        _outbox.Send(peer, new HandshakeMessage(_infoHash));
        _outbox.Send(peer, new BitfieldMessage(Store.Have.ToBytes()));
        return true;
    }

    /// <summary>A batch <paramref name="from"/> sent in its tick <paramref name="tick"/>.</summary>
    public void Receive(PeerId from, long tick, IReadOnlyList<PeerMessage> messages) => _inbox.Add(from, tick, messages);

    /// <summary>A peer could not be reached (crashed or gone): the connection is dropped.</summary>
    public void OnUnreachable(PeerId peer) => Disconnect(peer, sendClose: false);

    /// <summary>We leave: a close to every connection, to be sent by the caller.</summary>
    public IReadOnlyList<(PeerId To, IReadOnlyList<PeerMessage> Messages)> Leave()
    {
        var closes = _connections.Keys.Select(p => (p, (IReadOnlyList<PeerMessage>)[new ConnectionClosedMessage()])).ToList();
        foreach (var peer in _connections.Keys)
        {
            Disconnect(peer, sendClose: false);
        }

        _outbox.Clear();
        return closes;
    }

    /// <summary>Simulated time of the last tick run.</summary>
    public double LastTickTime { get; private set; }

    /// <summary>
    /// Handles what arrived before <paramref name="tick"/> and does the tick's work at time
    /// <paramref name="now"/>; capacities apply to <paramref name="elapsedSeconds"/> (default: one tick).
    /// </summary>
    public SwarmTickResult Tick(long tick, double now, double? elapsedSeconds = null)
    {
        var elapsed = elapsedSeconds ?? Parameters.TickSeconds;
        LastTickTime = now;
        _bytesUpThisTick = 0;
        _bytesDownThisTick = 0;
        _verifiedThisTick = [];
        var wasComplete = Store.IsComplete;

        _inbox.TakeSentBefore(tick, _arrived);
        foreach (var (_, from, messages) in _arrived)
        {
            for (var i = 0; i < messages.Count; i++) // by index: a foreach over the interface would box an enumerator per batch
            {
                Handle(from, messages[i], now);
            }
        }

        _arrived.Clear(); // the batches are handled: hold no reference to them until the next tick

        _downloads.Take(Allowance(_link.DownloadCapacity, elapsed), (from, piece) => OnPiece(from, piece, now));
        UpdateInterest();
        Rechoke(now);
        _uploads.Serve(_connections.Values, Allowance(_link.UploadCapacity, elapsed), (c, block) => Upload(c, block, now));
        Request(now);
        KeepAlive(now);

        var completedNow = !wasComplete && Store.IsComplete;
        if (completedNow)
        {
            CompletedAt = now;
        }

        var outgoing = _outbox.Drain();
        foreach (var (to, _) in outgoing)
        {
            if (_connections.TryGetValue(to, out var c))
            {
                c.LastSentAt = now;
            }
        }

        return new SwarmTickResult(outgoing, _verifiedThisTick, _bytesUpThisTick, _bytesDownThisTick, completedNow);
    }

    /// <summary>Peers that unchoked us.</summary>
    public IEnumerable<PeerId> UnchokedBy => _connections.Values.Where(c => !c.PeerChoking).Select(c => c.Id);

    /// <summary>Peers we unchoked.</summary>
    public IEnumerable<PeerId> Unchoking => _connections.Values.Where(c => !c.AmChoking).Select(c => c.Id);

    public double UploadRate(double now) => _connections.Values.Sum(c => c.Up.Rate(now));

    public double DownloadRate(double now) => _connections.Values.Sum(c => c.Down.Rate(now));

    /// <summary>Bytes a link may move in <paramref name="seconds"/>; an unlimited link any number, even in no time.</summary>
    private static double Allowance(double capacity, double seconds) => double.IsPositiveInfinity(capacity) ? capacity : capacity * seconds;

    // --- incoming ----------------------------------------------------------------------

    private void Handle(PeerId from, PeerMessage message, double now)
    {
        if (_banned.Contains(from))
        {
            return;
        }

        if (message is HandshakeMessage handshake)
        {
            Accept(from, handshake, now);
            return;
        }

        if (message is PieceMessage piece)
        {
            // Data that was already on the wire is taken even after a close: it is hash-checked anyway.
            _downloads.Enqueue(from, piece);
            return;
        }

        if (!_connections.TryGetValue(from, out var c))
        {
            return;
        }

        switch (message)
        {
            case BitfieldMessage bitfield:
                Availability.OnBitfield(from, BitField.FromBytes(bitfield.Bits, Store.Metainfo.PieceCount));
                break;
            case HaveMessage have when have.Piece >= 0 && have.Piece < Store.Metainfo.PieceCount:
                Availability.OnHave(from, have.Piece);
                break;
            case InterestedMessage:
                c.PeerInterested = true;
                break;
            case NotInterestedMessage:
                c.PeerInterested = false;
                break;
            case ChokeMessage:
                c.PeerChoking = true;
                _requester.OnChoked(from);
                break;
            case UnchokeMessage:
                c.PeerChoking = false;
                break;
            case RequestMessage request:
                // BEP 3: requests from a peer we choke are dropped; only blocks we hold are served.
                if (!c.AmChoking && Store.Layout.Validate(request.Block) == BlockError.None && Store.HasPiece(request.Block.Piece) && !c.Requests.Contains(request.Block))
                {
                    c.Requests.Add(request.Block);
                }

                break;
            case CancelMessage cancel:
                c.Requests.Remove(cancel.Block);
                break;
            case ConnectionClosedMessage:
                Disconnect(from, sendClose: false);
                break;
        }
    }

    private void Accept(PeerId from, HandshakeMessage handshake, double now)
    {
        if (_connections.ContainsKey(from))
        {
            return; // both ends opened at once: one connection
        }

        if (handshake.InfoHash != _infoHash || _connections.Count >= Parameters.MaxConnections)
        {
            _outbox.Send(from, new ConnectionClosedMessage());
            return;
        }

        _connections[from] = new SwarmConnection(from, now, _rttMs(from));
        _outbox.Send(from, new HandshakeMessage(_infoHash));
        _outbox.Send(from, new BitfieldMessage(Store.Have.ToBytes()));
    }

    private void OnPiece(PeerId from, PieceMessage message, double now)
    {
        var block = message.Block;
        if (_banned.Contains(from) || Store.Layout.Validate(block) != BlockError.None)
        {
            return;
        }

        BytesDown += block.Length;
        _bytesDownThisTick += block.Length;
        if (_connections.TryGetValue(from, out var c))
        {
            c.Down.Add(now, block.Length);
        }

        foreach (var (other, duplicate) in _requester.BlockReceived(from, block))
        {
            if (_connections.ContainsKey(other))
            {
                _outbox.Send(other, new CancelMessage(duplicate)); // endgame: the block came from elsewhere
            }
        }

        if (Store.HasPiece(block.Piece))
        {
            return;
        }

        var result = Store.AddBlock(from, block, message.Data);
        _requester.OnBlockResult(result);
        switch (result.Outcome)
        {
            case BlockOutcome.Stored:
                _strikes.BlockStored(block.Piece, from);
                break;
            case BlockOutcome.PieceVerified:
                Downloads.Add((block.Piece, now, _strikes.PieceVerified(block.Piece, from)));
                _verifiedThisTick.Add(block.Piece);
                var have = new HaveMessage(block.Piece); // immutable: one message for every connection
                var peers = _connections.Keys;
                for (var i = 0; i < peers.Count; i++)
                {
                    _outbox.Send(peers[i], have);
                }

                break;
            case BlockOutcome.PieceFailed:
                HashFailures++;
                foreach (var culprit in _strikes.PieceFailed(block.Piece, result.Contributors))
                {
                    Ban(culprit);
                }

                break;
        }
    }

    // --- outgoing ----------------------------------------------------------------------

    private void UpdateInterest()
    {
        var connections = _connections.Values;
        for (var i = 0; i < connections.Count; i++)
        {
            var c = connections[i];
            var interested = !Store.IsComplete && _requester.IsInterestedIn(c.Id);
            if (interested != c.AmInterested)
            {
                c.AmInterested = interested;
                _outbox.Send(c.Id, interested ? new InterestedMessage() : new NotInterestedMessage());
            }
        }
    }

    private void Rechoke(double now)
    {
        // The view (two rates per connection) is built only when the choker will read it: a scheduled
        // rechoke every 10 s, or one out of schedule; between them the choker changes nothing.
        var seeding = Store.IsComplete;
        List<ChokerPeer>? view = null;
        var decision = _choker.IsDue(now) ? _choker.Tick(now, view = View(now), seeding) : null;

        // Mainline also rechokes out of schedule when an upload slot is free and someone interested waits.
        var unchokedAlive = _choker.Unchoked.Count(_connections.ContainsKey);
        if (decision is not { Rechoked: true } && unchokedAlive < Parameters.UploadSlots && WaitsForSlot())
        {
            decision = _choker.Rechoke(now, view ?? View(now), seeding);
        }

        foreach (var id in decision?.ToChoke ?? [])
        {
            if (_connections.TryGetValue(id, out var c) && !c.AmChoking)
            {
                c.AmChoking = true;
                c.Requests.Clear();
                _outbox.Send(id, new ChokeMessage());
            }
        }

        foreach (var id in decision?.Unchoked ?? _choker.Unchoked)
        {
            if (_connections.TryGetValue(id, out var c) && c.AmChoking)
            {
                c.AmChoking = false;
                _outbox.Send(id, new UnchokeMessage());
            }
        }
    }

    private List<ChokerPeer> View(double now) =>
        [.. _connections.Values.Select(c => new ChokerPeer(c.Id, c.PeerInterested, c.Down.Rate(now), c.Up.Rate(now), c.Down.LastDataAt ?? c.ConnectedAt))];

    private bool WaitsForSlot()
    {
        var connections = _connections.Values;
        for (var i = 0; i < connections.Count; i++)
        {
            var c = connections[i];
            if (c.PeerInterested && !_choker.Unchoked.Contains(c.Id))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>One block to an unchoked peer; returns its length. Corrupters flip a byte of every block.</summary>
    private int Upload(SwarmConnection c, BlockRequest block, double now)
    {
        var data = Store.ReadBlock(block);
        if (Behaviour == PeerBehaviour.Corrupter)
        {
            var copy = data.ToArray();
            copy[copy.Length / 2] ^= 0x5A;
            data = copy;
        }

        _outbox.Send(c.Id, new PieceMessage(block.Piece, block.Offset, data));
        c.Up.Add(now, block.Length);
        BytesUp += block.Length;
        _bytesUpThisTick += block.Length;
        return block.Length;
    }

    /// <summary>
    /// Keeps each unchoking peer's pipeline at a bandwidth-delay product: twice the recent rate from
    /// that peer (at least the link's floor) over the time a request takes to be answered
    /// (<see cref="LinkModel"/>) plus the round trip, at least a few blocks.
    /// </summary>
    private void Request(double now)
    {
        if (Store.IsComplete)
        {
            return;
        }

        var connections = _connections.Values;
        for (var i = 0; i < connections.Count; i++)
        {
            var c = connections[i];
            if (!c.AmInterested || c.PeerChoking)
            {
                continue;
            }

            var latency = _link.RequestLatencySeconds + (c.RttMs / 1000);
            var rate = Math.Max(2 * c.Down.Rate(now), _link.MinRequestRate);
            _requester.FillPipeline(c.Id, RequestPipeline.Depth(_link.DownloadCapacity, latency, rate), _requested);
            foreach (var block in _requested)
            {
                _outbox.Send(c.Id, new RequestMessage(block));
            }
        }
    }

    private void KeepAlive(double now)
    {
        var connections = _connections.Values;
        for (var i = 0; i < connections.Count; i++)
        {
            var c = connections[i];
            if (now - c.LastSentAt >= KeepAliveSeconds && !_outbox.HasMessagesFor(c.Id))
            {
                _outbox.Send(c.Id, new KeepAliveMessage());
            }
        }
    }

    private void Ban(PeerId peer)
    {
        if (_banned.Add(peer))
        {
            Disconnect(peer, sendClose: true);
            _downloads.Drop(peer);
        }
    }

    private void Disconnect(PeerId peer, bool sendClose)
    {
        if (!_connections.Remove(peer))
        {
            return;
        }

        _requester.OnDisconnected(peer);
        _outbox.Discard(peer);
        if (sendClose)
        {
            _outbox.Send(peer, new ConnectionClosedMessage());
        }
    }
}
