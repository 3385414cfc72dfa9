namespace P2POrleans.BitTorrent.Swarm;

/// <summary>
/// Who sent the blocks of each piece in progress, and per peer the verified and failed pieces it
/// contributed to. A failed piece cannot be pinned on one block (BEP 3 hashes whole pieces), so
/// every contributor gets a strike; a peer is banned when its strikes reach the threshold and
/// exceed its verified pieces, so an honest peer that shared a bad piece with the culprit stays
/// (a light form of libtorrent's parole).
/// </summary>
public sealed class StrikeBook(int banThreshold)
{
    private readonly Dictionary<int, HashSet<PeerId>> _senders = [];
    private readonly Dictionary<PeerId, int> _bad = [];
    private readonly Dictionary<PeerId, int> _good = [];

    /// <summary>Failed pieces each peer contributed to.</summary>
    public IReadOnlyDictionary<PeerId, int> BadPieces => _bad;

    public void BlockStored(int piece, PeerId from) => Senders(piece).Add(from);

    /// <summary>The piece verified: its senders (ordered by id) each get a good mark.</summary>
    public IReadOnlyList<PeerId> PieceVerified(int piece, PeerId lastSender)
    {
        var senders = Senders(piece);
        senders.Add(lastSender);
        _senders.Remove(piece);
        foreach (var sender in senders)
        {
            _good[sender] = _good.GetValueOrDefault(sender) + 1;
        }

        return [.. senders.OrderBy(s => s.Value, StringComparer.Ordinal)];
    }

    /// <summary>The piece failed its hash: each contributor gets a strike; returns those to ban, in contributor order.</summary>
    public IReadOnlyList<PeerId> PieceFailed(int piece, IReadOnlyList<PeerId> contributors)
    {
        _senders.Remove(piece);
        var ban = new List<PeerId>();
        foreach (var suspect in contributors)
        {
            var bad = _bad[suspect] = _bad.GetValueOrDefault(suspect) + 1;
            if (bad >= banThreshold && bad > _good.GetValueOrDefault(suspect))
            {
                ban.Add(suspect);
            }
        }

        return ban;
    }

    private HashSet<PeerId> Senders(int piece)
    {
        if (!_senders.TryGetValue(piece, out var set))
        {
            set = [];
            _senders[piece] = set;
        }

        return set;
    }
}
