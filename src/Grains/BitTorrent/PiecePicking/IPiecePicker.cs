namespace P2POrleans.BitTorrent.PiecePicking;

/// <summary>
/// Chooses blocks to request from one peer. Policies are small decorators over one picker, as in
/// monotorrent's PiecePicking: each narrows or reorders the candidate pieces and asks its inner
/// picker, so "strict priority, random first, rarest first, endgame" is one chain.
/// </summary>
public interface IPiecePicker
{
    /// <summary>
    /// Up to <paramref name="count"/> blocks to request from <paramref name="peer"/>, from pieces in
    /// <paramref name="available"/> (pieces the peer has and we lack). Picking records nothing: the
    /// caller records the requests it sends in <see cref="PieceRequests"/>. Implementations must not
    /// keep or modify <paramref name="available"/>.
    /// </summary>
    IReadOnlyList<BlockRequest> Pick(PeerId peer, BitField available, int count);
}
