namespace P2POrleans.BitTorrent;

/// <summary>Orders peers by id, ordinally: the deterministic order of every per-peer loop.</summary>
public sealed class PeerIdComparer : IComparer<PeerId>
{
    public static readonly PeerIdComparer Instance = new();

    public int Compare(PeerId x, PeerId y) => string.CompareOrdinal(x.Value, y.Value);
}
