namespace P2POrleans.BitTorrent.PiecePicking;

/// <summary>
/// Random first piece (Cohen 2003 section 2.3.3): until <paramref name="threshold"/> pieces are
/// held, pick at random (a new peer needs something to trade quickly, and the rarest pieces are
/// slow to get); afterwards defer to <paramref name="inner"/> (rarest first). Cohen describes one
/// piece; Legout et al. 2006 describe mainline using 4.
/// </summary>
public sealed class RandomFirstPicker(IPiecePicker inner, IPiecePicker random, BitField have, int threshold = 1) : IPiecePicker
{
    public bool Active => have.Count < threshold;

    public IReadOnlyList<BlockRequest> Pick(PeerId peer, BitField available, int count) =>
        Active ? random.Pick(peer, available, count) : inner.Pick(peer, available, count);
}
