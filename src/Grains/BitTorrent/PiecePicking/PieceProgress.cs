namespace P2POrleans.BitTorrent.PiecePicking;

/// <summary>Per-block request and arrival state of one piece in progress (see <see cref="PieceRequests"/>).</summary>
internal sealed class PieceProgress(int blocks)
{
    /// <summary>Peers each block is outstanding at (more than one only in endgame).</summary>
    public List<PeerId>?[] RequestedBy { get; } = new List<PeerId>?[blocks];

    public bool[] Received { get; } = new bool[blocks];

    /// <summary>Blocks requested or received.</summary>
    public int Touched { get; set; }
}
