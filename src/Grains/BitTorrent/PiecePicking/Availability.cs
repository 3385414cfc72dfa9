namespace P2POrleans.BitTorrent.PiecePicking;

/// <summary>
/// For each piece, how many connected peers have it — the input of local rarest first (Cohen 2003
/// section 2.3; Legout et al. 2006 call it the peer set's view). Kept from bitfield and have
/// messages and disconnects; holds each peer's bitfield, which the pickers need too.
/// </summary>
public sealed class Availability
{
    private readonly int[] _counts;
    private readonly Dictionary<PeerId, BitField> _peers = [];

    public Availability(int pieceCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pieceCount);
        _counts = new int[pieceCount];
    }

    public int PieceCount => _counts.Length;

    /// <summary>Number of connected peers that have <paramref name="piece"/>.</summary>
    public int this[int piece] => _counts[piece];

    public IReadOnlyCollection<PeerId> Peers => _peers.Keys;

    public bool Contains(PeerId peer) => _peers.ContainsKey(peer);

    /// <summary>The pieces <paramref name="peer"/> has (empty for an unknown peer). Do not modify.</summary>
    public BitField PiecesOf(PeerId peer) => _peers.TryGetValue(peer, out var bits) ? bits : new BitField(PieceCount);

    /// <summary>A bitfield message: replaces what we knew of the peer.</summary>
    public void OnBitfield(PeerId peer, BitField pieces)
    {
        if (pieces.Length != PieceCount)
        {
            throw new ArgumentException($"bitfield of {pieces.Length} pieces for a torrent of {PieceCount}", nameof(pieces));
        }

        OnDisconnect(peer);
        var copy = pieces.Clone();
        _peers[peer] = copy;
        foreach (var piece in copy.SetIndices())
        {
            _counts[piece]++;
        }
    }

    /// <summary>A have message (BEP 3 lets it come without a bitfield first).</summary>
    public void OnHave(PeerId peer, int piece)
    {
        if (!_peers.TryGetValue(peer, out var bits))
        {
            bits = new BitField(PieceCount);
            _peers[peer] = bits;
        }

        if (!bits[piece])
        {
            bits[piece] = true;
            _counts[piece]++;
        }
    }

    /// <summary>The peer left: its pieces no longer count.</summary>
    public void OnDisconnect(PeerId peer)
    {
        if (_peers.Remove(peer, out var bits))
        {
            foreach (var piece in bits.SetIndices())
            {
                _counts[piece]--;
            }
        }
    }
}
