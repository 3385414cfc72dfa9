using P2POrleans.BitTorrent.Torrent;

namespace P2POrleans.BitTorrent.PiecePicking;

/// <summary>
/// Which blocks of the pieces we lack are requested from whom, and which have arrived: the state
/// the pickers consult (strict priority needs "started", endgame needs "everything requested")
/// and that produces the cancels of endgame duplicates.
/// </summary>
public sealed class PieceRequests
{
    private readonly Dictionary<int, PieceProgress> _progress = [];
    private readonly Dictionary<PeerId, HashSet<BlockRequest>> _byPeer = [];

    /// <summary>States of forgotten pieces, emptied, for the next pieces started (a state and its lists per piece was most of a member's garbage).</summary>
    private readonly Stack<PieceProgress> _spare = [];

    /// <param name="layout">The torrent's layout.</param>
    /// <param name="have">The pieces held (the store's bitfield, read live).</param>
    public PieceRequests(PieceLayout layout, BitField have)
    {
        Layout = layout;
        Have = have;
    }

    public PieceLayout Layout { get; }

    public BitField Have { get; }

    /// <summary>Pieces with at least one block requested or received, not yet held.</summary>
    public IEnumerable<int> StartedPieces => _progress.Where(p => !Have[p.Key] && p.Value.Touched > 0).Select(p => p.Key);

    public int Outstanding(PeerId peer) => _byPeer.TryGetValue(peer, out var set) ? set.Count : 0;

    public IReadOnlyCollection<BlockRequest> OutstandingFor(PeerId peer) =>
        _byPeer.TryGetValue(peer, out var set) ? set : [];

    public bool IsStarted(int piece) => !Have[piece] && _progress.TryGetValue(piece, out var p) && p.Touched > 0;

    /// <summary>Blocks received or requested so far in the piece (how far along it is).</summary>
    public int TouchedBlocks(int piece) => _progress.TryGetValue(piece, out var p) ? p.Touched : 0;

    public bool IsReceived(BlockRequest block) =>
        Have[block.Piece] || (_progress.TryGetValue(block.Piece, out var p) && p.Received[PieceLayout.BlockIndex(block)]);

    public int RequestCount(BlockRequest block) =>
        _progress.TryGetValue(block.Piece, out var p) ? p.RequestedBy[PieceLayout.BlockIndex(block)]?.Count ?? 0 : 0;

    public bool IsRequestedFrom(PeerId peer, BlockRequest block) =>
        _byPeer.TryGetValue(peer, out var set) && set.Contains(block);

    /// <summary>Blocks of a piece we lack that are neither received nor requested from anyone.</summary>
    public IEnumerable<BlockRequest> UnrequestedBlocks(int piece)
    {
        if (Have[piece])
        {
            yield break;
        }

        _progress.TryGetValue(piece, out var p);
        var count = Layout.BlockCount(piece);
        for (var b = 0; b < count; b++)
        {
            if (p is null || (!p.Received[b] && (p.RequestedBy[b]?.Count ?? 0) == 0))
            {
                yield return Layout.Block(piece, b);
            }
        }
    }

    public bool HasUnrequestedBlocks(int piece) => UnrequestedBlocks(piece).Any();

    /// <summary>
    /// The first <paramref name="count"/> of <see cref="UnrequestedBlocks"/>, in the same order, as an array (empty
    /// when none): what a picker asks of every candidate piece, without an iterator or a list per candidate.
    /// </summary>
    public BlockRequest[] FirstUnrequestedBlocks(int piece, int count)
    {
        if (count <= 0 || Have[piece])
        {
            return [];
        }

        _progress.TryGetValue(piece, out var p);
        var blocks = Layout.BlockCount(piece);
        var found = 0;
        for (var b = 0; b < blocks && found < count; b++)
        {
            if (p is null || (!p.Received[b] && (p.RequestedBy[b]?.Count ?? 0) == 0))
            {
                found++;
            }
        }

        if (found == 0)
        {
            return [];
        }

        var result = new BlockRequest[found];
        var at = 0;
        for (var b = 0; at < found; b++)
        {
            if (p is null || (!p.Received[b] && (p.RequestedBy[b]?.Count ?? 0) == 0))
            {
                result[at++] = Layout.Block(piece, b);
            }
        }

        return result;
    }

    /// <summary>Adds to <paramref name="into"/> the <see cref="StartedPieces"/> that are in <paramref name="within"/>, each with its <see cref="TouchedBlocks"/>, in no particular order.</summary>
    public void StartedPiecesIn(BitField within, List<(int Piece, int Touched)> into)
    {
        foreach (var (piece, p) in _progress)
        {
            if (!Have[piece] && p.Touched > 0 && within[piece])
            {
                into.Add((piece, p.Touched));
            }
        }
    }

    /// <summary>
    /// Blocks of a piece we lack that are requested but not yet received: what endgame asks
    /// other peers for as well.
    /// </summary>
    public IEnumerable<BlockRequest> PendingBlocks(int piece)
    {
        if (Have[piece] || !_progress.TryGetValue(piece, out var p))
        {
            yield break;
        }

        for (var b = 0; b < p.Received.Length; b++)
        {
            if (!p.Received[b] && (p.RequestedBy[b]?.Count ?? 0) > 0)
            {
                yield return Layout.Block(piece, b);
            }
        }
    }

    /// <summary>
    /// The endgame condition (Cohen 2003 section 2.3.4): every block of every piece we lack is
    /// requested or received, and something is still missing.
    /// </summary>
    public bool AllRemainingRequested()
    {
        if (Have.IsComplete)
        {
            return false;
        }

        for (var piece = Have.FirstMissing(); piece >= 0; piece = piece + 1 < Have.Length ? Have.NextIndex(piece + 1, false) : -1)
        {
            if (!_progress.TryGetValue(piece, out var p) || p.Touched < p.Received.Length)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Records a request sent to <paramref name="peer"/>; false if it was already outstanding there.</summary>
    public bool Add(PeerId peer, BlockRequest block)
    {
        Layout.EnsureValid(block);
        if (Have[block.Piece])
        {
            throw new InvalidOperationException($"piece {block.Piece} is already held");
        }

        if (!_byPeer.TryGetValue(peer, out var set))
        {
            set = [];
            _byPeer[peer] = set;
        }

        if (!set.Add(block))
        {
            return false;
        }

        var p = ProgressOf(block.Piece);
        (p.RequestedBy[PieceLayout.BlockIndex(block)] ??= []).Add(peer);
        RecountTouched(p);
        return true;
    }

    /// <summary>
    /// A block arrived from <paramref name="from"/>: it is no longer outstanding anywhere. Returns the
    /// other peers it was also requested from, to whom a cancel is due (endgame duplicates).
    /// </summary>
    public IReadOnlyList<PeerId> Received(PeerId from, BlockRequest block)
    {
        Layout.EnsureValid(block);
        if (Have[block.Piece])
        {
            // Late duplicate of a piece already verified: only forget the requests.
            return DropRequests(from, block, markReceived: false);
        }

        return DropRequests(from, block, markReceived: true);
    }

    /// <summary>A request cancelled or rejected: the block goes back to the pool unless requested elsewhere.</summary>
    public void Remove(PeerId peer, BlockRequest block)
    {
        if (!_byPeer.TryGetValue(peer, out var set) || !set.Remove(block))
        {
            return;
        }

        if (_progress.TryGetValue(block.Piece, out var p))
        {
            p.RequestedBy[PieceLayout.BlockIndex(block)]?.Remove(peer);
            RecountTouched(p);
        }
    }

    /// <summary>
    /// The peer choked us (BEP 3: its pending requests are discarded) or disconnected: all its
    /// outstanding requests return to the pool.
    /// </summary>
    public IReadOnlyList<BlockRequest> RemovePeer(PeerId peer)
    {
        if (!_byPeer.TryGetValue(peer, out var set))
        {
            return [];
        }

        var dropped = set.ToArray();
        foreach (var block in dropped)
        {
            Remove(peer, block);
        }

        _byPeer.Remove(peer);
        return dropped;
    }

    /// <summary>The piece verified: forget its state and any requests still outstanding for it.</summary>
    public void PieceVerified(int piece) => Forget(piece);

    /// <summary>The piece failed its hash: every block is to be downloaded again.</summary>
    public void PieceFailed(int piece) => Forget(piece);

    private IReadOnlyList<PeerId> DropRequests(PeerId from, BlockRequest block, bool markReceived)
    {
        List<PeerId>? others = null; // most blocks were requested from one peer only: nothing to cancel, nothing allocated
        if (_byPeer.TryGetValue(from, out var mine))
        {
            mine.Remove(block);
        }

        if (!_progress.TryGetValue(block.Piece, out var p))
        {
            if (!markReceived)
            {
                return [];
            }

            p = ProgressOf(block.Piece);
        }

        var index = PieceLayout.BlockIndex(block);
        if (p.RequestedBy[index] is { } list)
        {
            foreach (var peer in list)
            {
                _byPeer[peer].Remove(block);
                if (peer != from)
                {
                    (others ??= []).Add(peer);
                }
            }

            list.Clear();
        }

        p.Received[index] |= markReceived;
        RecountTouched(p);
        return others ?? (IReadOnlyList<PeerId>)[];
    }

    private void Forget(int piece)
    {
        if (!_progress.Remove(piece, out var p))
        {
            return;
        }

        for (var b = 0; b < p.RequestedBy.Length; b++)
        {
            if (p.RequestedBy[b] is { } list)
            {
                var block = Layout.Block(piece, b);
                foreach (var peer in list)
                {
                    _byPeer[peer].Remove(block);
                }

                list.Clear();
            }
        }

        Array.Clear(p.Received);
        p.Touched = 0;
        _spare.Push(p);
    }

    private PieceProgress ProgressOf(int piece)
    {
        if (!_progress.TryGetValue(piece, out var p))
        {
            var blocks = Layout.BlockCount(piece);
            p = _spare.TryPeek(out var spare) && spare.Received.Length == blocks ? _spare.Pop() : new PieceProgress(blocks);
            _progress[piece] = p;
        }

        return p;
    }

    private static void RecountTouched(PieceProgress p)
    {
        var touched = 0;
        for (var b = 0; b < p.Received.Length; b++)
        {
            if (p.Received[b] || (p.RequestedBy[b]?.Count ?? 0) > 0)
            {
                touched++;
            }
        }

        p.Touched = touched;
    }
}
